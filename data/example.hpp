// tg::data::Example: one sample of a dataset, its data and its target, as LibTorch's
// torch::data::Example. A batch collated by transforms::Stack<> is an Example too, whose data and
// target have a leading batch dimension. TensorExample is one without a target (TensorDataset's).
//
//   tg::data::Example<> e{image, label};   // e.data, e.target
//   tg::data::TensorExample t{row};         // t.data; converts to the tensor
#pragma once

#include <utility>

#include <tapegrad/core/tensor.hpp>

namespace tg::data {
namespace example {
using NoTarget = void;
}  // namespace example

template <class Data = Tensor, class Target = Tensor>
struct Example {
  using DataType = Data;
  using TargetType = Target;

  Example() = default;
  Example(Data data, Target target) : data(std::move(data)), target(std::move(target)) {}

  Data data;
  Target target;
};

template <class Data>
struct Example<Data, example::NoTarget> {
  using DataType = Data;
  using TargetType = example::NoTarget;

  Example() = default;
  Example(Data data) : data(std::move(data)) {}  // NOLINT: implicit, as LibTorch's

  operator Data&() { return data; }
  operator const Data&() const { return data; }

  Data data;
};

using TensorExample = Example<Tensor, example::NoTarget>;

}  // namespace tg::data
