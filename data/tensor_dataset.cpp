#include <tapegrad/data/tensor_dataset.hpp>

#include <string>
#include <utility>

#include <tapegrad/ops/tensor_ops.hpp>

namespace tg::data::datasets {

TensorDataset::TensorDataset(const std::vector<Tensor>& tensors) : TensorDataset(tg::stack(tensors)) {}

TensorDataset::TensorDataset(Tensor tensor) : tensor(std::move(tensor)) {
  if (!this->tensor.defined() || this->tensor.dim() == 0)
    throw Error("TensorDataset: expected a tensor of at least 1 dim (its rows are the examples), got " +
                std::string(this->tensor.defined() ? "a 0-d tensor" : "an undefined tensor"));
}

TensorExample TensorDataset::get(std::size_t index) {
  if (index >= *size())
    throw Error("TensorDataset: index " + std::to_string(index) + " is out of range for a dataset of " +
                std::to_string(*size()) + " rows " + shape_str(tensor.shape()));
  return tensor[std::int64_t(index)];
}

std::optional<std::size_t> TensorDataset::size() const { return std::size_t(tensor.size(0)); }

}  // namespace tg::data::datasets
