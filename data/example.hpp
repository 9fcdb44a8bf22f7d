// tg::data::Example: one sample of a dataset, its data and its target, as LibTorch's
// torch::data::Example. A batch collated by transforms::Stack<> is an Example too, whose data and
// target have a leading batch dimension.
//
//   tg::data::Example<> e{image, label};   // e.data, e.target
#pragma once

#include <tapegrad/core/tensor.hpp>

namespace tg::data {

template <class Data = Tensor, class Target = Tensor>
struct Example {
  using DataType = Data;
  using TargetType = Target;

  Example() = default;
  Example(Data data, Target target) : data(std::move(data)), target(std::move(target)) {}

  Data data;
  Target target;
};

}  // namespace tg::data
