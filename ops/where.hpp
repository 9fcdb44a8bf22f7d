// Selecting elements by a boolean mask: where and masked_fill, with torch's semantics and NumPy
// broadcasting among the mask and the operands.
//
// The mask is a tg::Mask, a plain bool array: masks are not differentiable, so they are not
// Variables (torch's comparisons return bool tensors that autograd never tracks either).
//   tg::Mask negative = x.value() < 0.f;        // an xtensor comparison evaluates into a Mask
//   auto y = tg::masked_fill(x, negative, 0.f);  // relu
#pragma once

#include <xtensor/xarray.hpp>

#include <tapegrad/core/variable.hpp>

namespace tg {

using Mask = xt::xarray<bool, xt::layout_type::row_major>;

// input where condition is true, other where it is false; the three broadcast together. Each
// operand's gradient is the output's gradient where it was picked, zero elsewhere (summed back to
// its shape if it was broadcast).
template <class T>
Variable<T> where(const Mask& condition, const Variable<T>& input, const Variable<T>& other);

// x with `value` wherever mask is true; mask and x broadcast together (torch's out-of-place
// masked_fill). x's gradient is zero where the value was written.
template <class T>
Variable<T> masked_fill(const Variable<T>& x, const Mask& mask, T value);

}  // namespace tg
