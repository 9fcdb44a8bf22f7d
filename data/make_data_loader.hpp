// tg::data::make_data_loader: a StatelessDataLoader over a dataset, as LibTorch's:
//
//   auto dataset = tg::data::datasets::MNIST(root)
//                      .map(tg::data::transforms::Normalize<>(0.1307, 0.3081))
//                      .map(tg::data::transforms::Stack<>());
//   auto loader = tg::data::make_data_loader(std::move(dataset), 64);           // RandomSampler
//   auto ordered = tg::data::make_data_loader<tg::data::samplers::SequentialSampler>(
//       std::move(other), tg::data::DataLoaderOptions().batch_size(64).workers(2));
//   for (auto& batch : *loader) { ... batch.data ... batch.target ... }
#pragma once

#include <memory>
#include <optional>
#include <utility>

#include <tapegrad/core/array.hpp>
#include <tapegrad/data/dataloader_options.hpp>
#include <tapegrad/data/random_sampler.hpp>
#include <tapegrad/data/stateless_data_loader.hpp>

namespace tg::data {

template <class Dataset, class Sampler>
std::unique_ptr<StatelessDataLoader<Dataset, Sampler>> make_data_loader(Dataset dataset, Sampler sampler,
                                                                        DataLoaderOptions options) {
  return std::make_unique<StatelessDataLoader<Dataset, Sampler>>(std::move(dataset), std::move(sampler),
                                                                 std::move(options));
}

// The sampler is Sampler(dataset.size()); throws tg::Error when the dataset has no size.
template <class Sampler = samplers::RandomSampler, class Dataset>
std::unique_ptr<StatelessDataLoader<Dataset, Sampler>> make_data_loader(Dataset dataset,
                                                                        DataLoaderOptions options = {}) {
  const std::optional<std::size_t> size = dataset.size();
  if (!size) throw Error("make_data_loader: expected a dataset with a size, to build the sampler");
  Sampler sampler(*size);
  return make_data_loader(std::move(dataset), std::move(sampler), std::move(options));
}

}  // namespace tg::data
