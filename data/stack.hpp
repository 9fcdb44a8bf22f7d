// tg::data::transforms::Stack: collates a batch of examples into one Example whose data and target
// are the examples' tensors stacked along a new first dim, as LibTorch's transforms::Stack<>
// (Stack<TensorExample> stacks the data of examples without a target):
//
//   auto loader = make_data_loader(MNIST(root).map(Normalize<>(0.1307, 0.3081)).map(Stack<>()), 64);
//   for (auto& batch : *loader) { ... batch.data ... (64, 1, 28, 28) ... batch.target ... (64,) ... }
//
// The tensors of a batch must share dtype and shape; a tg::Error names the first that does not. A
// tensor that requires grad is stacked through the differentiable op.
#pragma once

#include <vector>

#include <tapegrad/core/tensor.hpp>
#include <tapegrad/data/example.hpp>
#include <tapegrad/data/transform.hpp>

namespace tg::data::transforms {
namespace detail {

// The tensors joined along a new dim 0; `what` ("data", "target") names them in errors.
Tensor stack_tensors(const std::vector<Tensor>& tensors, const char* what);

}  // namespace detail

template <class E = Example<>>
struct Stack;

template <>
struct Stack<Example<>> : public Collation<Example<>> {
  Example<> apply_batch(std::vector<Example<>> examples) override {
    std::vector<Tensor> data, targets;
    data.reserve(examples.size());
    targets.reserve(examples.size());
    for (Example<>& e : examples) {
      data.push_back(std::move(e.data));
      targets.push_back(std::move(e.target));
    }
    return {detail::stack_tensors(data, "data"), detail::stack_tensors(targets, "target")};
  }
};

template <>
struct Stack<TensorExample> : public Collation<TensorExample> {
  TensorExample apply_batch(std::vector<TensorExample> examples) override {
    std::vector<Tensor> data;
    data.reserve(examples.size());
    for (TensorExample& e : examples) data.push_back(std::move(e.data));
    return detail::stack_tensors(data, "data");
  }
};

}  // namespace tg::data::transforms
