// From a Tensor's runtime dtype to the typed code: how a typed op is exposed at Tensor level.
//
//   Tensor relu(const Tensor& x) {
//     return dispatch_floating(x, "relu", [](const auto& v) { return tg::relu(v); });
//   }
//
// `v` is the Variable<float> or Variable<double> inside x; an integer x throws tg::Error naming the op.
// The two-operand form first promotes both to one floating dtype (Long + Float -> Float, Float +
// Double -> Double, as LibTorch); a promotion that would have to carry a gradient across dtypes
// throws instead (the float and double tapes are separate).
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include <tapegrad/core/tensor.hpp>

namespace tg {

// x converted to `dtype` for op `op`: the same handle when it already has it. Throws when x requires
// grad under grad mode and the dtype changes (that conversion cannot be recorded).
Tensor promote_to(const Tensor& x, ScalarType dtype, const char* op);

// Throws naming `op` unless x is defined and floating (Float or Double).
void check_floating(const Tensor& x, const char* op);

template <class F>
Tensor dispatch_floating(const Tensor& x, const char* op, F&& f) {
  check_floating(x, op);
  if (x.scalar_type() == kFloat) return Tensor(f(x.variable<float>()));
  return Tensor(f(x.variable<double>()));
}

template <class F>
Tensor dispatch_floating(const Tensor& a, const Tensor& b, const char* op, F&& f) {
  if (!a.defined() || !b.defined()) check_floating(a.defined() ? b : a, op);
  const ScalarType t = promote_types(a.scalar_type(), b.scalar_type());
  if (!is_floating_point(t))
    throw Error(std::string(op) + ": expected a floating tensor (Float or Double), got " + to_string(a.scalar_type()) +
                " and " + to_string(b.scalar_type()) + "; convert with .to(tg::kFloat)");
  const Tensor pa = promote_to(a, t, op), pb = promote_to(b, t, op);
  if (t == kFloat) return Tensor(f(pa.variable<float>(), pb.variable<float>()));
  return Tensor(f(pa.variable<double>(), pb.variable<double>()));
}

// Calls f(const Array<T>&) with x's values, whatever x's dtype; returns what f returns.
template <class F>
decltype(auto) visit_values(const Tensor& x, F&& f) {
  switch (x.scalar_type()) {
    case kFloat: return f(x.value<float>());
    case kDouble: return f(x.value<double>());
    case kLong: return f(x.value<std::int64_t>());
    case kBool: break;
  }
  return f(x.value<bool>());
}

}  // namespace tg
