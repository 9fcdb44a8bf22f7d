#include <tapegrad/data/stack.hpp>

#include <algorithm>
#include <string>

#include <tapegrad/ops/concat.hpp>

namespace tg::data::transforms::detail {
namespace {

template <class T>
Tensor copy_stacked(const std::vector<Tensor>& tensors, const Shape& shape) {
  Shape out_shape{tensors.size()};
  out_shape.insert(out_shape.end(), shape.begin(), shape.end());
  const std::size_t n = checked_numel(shape, "Stack");
  checked_numel(out_shape, "Stack");
  Array<T> out = Array<T>::from_shape(out_shape);
  T* dst = out.data();
  for (const Tensor& t : tensors) dst = std::copy_n(t.value<T>().data(), n, dst);
  return Tensor(std::move(out));
}

template <class T>
Tensor stack_recorded(const std::vector<Tensor>& tensors) {
  std::vector<Variable<T>> variables;
  variables.reserve(tensors.size());
  for (const Tensor& t : tensors) variables.push_back(t.variable<T>());
  return tg::stack(variables, 0);
}

}  // namespace

Tensor stack_tensors(const std::vector<Tensor>& tensors, const char* what) {
  if (tensors.empty()) throw Error(std::string("Stack: cannot collate an empty batch of ") + what);
  const Tensor& first = tensors.front();
  if (!first.defined()) throw Error(std::string("Stack: the ") + what + " of example 0 is undefined");
  const ScalarType dtype = first.scalar_type();
  const Shape shape = first.shape();
  bool requires_grad = false;
  for (std::size_t i = 0; i < tensors.size(); ++i) {
    const Tensor& t = tensors[i];
    if (!t.defined() || t.scalar_type() != dtype || t.shape() != shape)
      throw Error(std::string("Stack: expected every ") + what + " tensor of the batch to have dtype " +
                  type_string(dtype) + " and shape " + shape_str(shape) + " (as example 0), got " +
                  (t.defined() ? type_string(t.scalar_type()) + " of shape " + shape_str(t.shape()) : "undefined") +
                  " at example " + std::to_string(i));
    requires_grad = requires_grad || t.requires_grad();
  }
  switch (dtype) {
    case kFloat: return requires_grad ? stack_recorded<float>(tensors) : copy_stacked<float>(tensors, shape);
    case kDouble: return requires_grad ? stack_recorded<double>(tensors) : copy_stacked<double>(tensors, shape);
    case kLong: return copy_stacked<std::int64_t>(tensors, shape);
    case kBool: return copy_stacked<bool>(tensors, shape);
    default: break;
  }
  throw Error(std::string("Stack: unsupported dtype ") + type_string(dtype) + " of the " + what);
}

}  // namespace tg::data::transforms::detail
