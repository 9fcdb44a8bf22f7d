// The cumulative sum along one dim: torch.cumsum.
#pragma once

#include <cstddef>

#include <tapegrad/core/variable.hpp>

namespace tg {

// out[..., j, ...] = x[..., 0, ...] + ... + x[..., j, ...] along `dim` (negative counts from the end;
// a 0-d tensor takes 0 or -1, as torch's). The gradient is the reversed cumulative sum of the output's.
template <class T> Variable<T> cumsum(const Variable<T>& x, std::ptrdiff_t dim);

namespace detail {
// cumsum's forward on plain values, for any element type: the Long path of the Tensor op.
template <class T> Array<T> cumsum_values(const Array<T>& x, std::ptrdiff_t dim);
}  // namespace detail

}  // namespace tg
