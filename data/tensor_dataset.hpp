// tg::data::datasets::TensorDataset: the rows of one tensor (its slices along dim 0) as a dataset of
// TensorExamples, without targets, as LibTorch's:
//
//   auto rows = tg::data::datasets::TensorDataset(tg::randn({100, 3}))
//                   .map(tg::data::transforms::Stack<tg::data::TensorExample>());
//   auto loader = tg::data::make_data_loader(std::move(rows), 10);
//   for (auto& batch : *loader) { ... batch.data ... (10, 3) ... }
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include <tapegrad/core/tensor.hpp>
#include <tapegrad/data/dataset_base.hpp>
#include <tapegrad/data/example.hpp>

namespace tg::data::datasets {

struct TensorDataset : public Dataset<TensorDataset, TensorExample> {
  // The tensors stacked along a new dim 0 (one shape and dtype, as tg::stack asks).
  explicit TensorDataset(const std::vector<Tensor>& tensors);
  // Throws unless the tensor has at least one dim.
  explicit TensorDataset(Tensor tensor);

  // Row `index` (a copy); throws a tg::Error when index >= size().
  TensorExample get(std::size_t index) override;
  std::optional<std::size_t> size() const override;

  Tensor tensor;
};

}  // namespace tg::data::datasets
