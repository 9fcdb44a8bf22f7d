// Reductions: sum, mean and the p-norm (of every element, or over dims), prod (of every element, or along one dim),
// amax and max along one dim. As in torch,
// the reduced dims leave the result's shape unless keepdim, which keeps each of them as size 1.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include <tapegrad/core/variable.hpp>

namespace tg {

// Of every element: a 0-d tensor (shape (), one element; read it with .item()).
template <class T> Variable<T> sum(const Variable<T>& x);
template <class T> Variable<T> mean(const Variable<T>& x);

// Over `dims`: at least one, each in [-rank, rank) (negative counts from the end), none twice.
template <class T> Variable<T> sum(const Variable<T>& x, const std::vector<std::ptrdiff_t>& dims, bool keepdim = false);
template <class T> Variable<T> mean(const Variable<T>& x, const std::vector<std::ptrdiff_t>& dims, bool keepdim = false);

// The p-norm (sum of |x|^p)^(1/p) of every element, or over `dims` (as sum's), for a finite p > 0:
// torch.norm. The gradient sign(x)·|x|^(p-1) / norm^(p-1) is 0 where the norm is 0 (as torch's) and,
// for every p, at an element equal to 0 (torch's gives NaN there for p < 2, other than 1). torch's
// p = inf and p = 0 are not taken: use amax(abs(x)) and (x != 0).sum().
template <class T> Variable<T> norm(const Variable<T>& x, double p = 2);
template <class T>
Variable<T> norm(const Variable<T>& x, double p, const std::vector<std::ptrdiff_t>& dims, bool keepdim = false);

// The product of every element (a 0-d tensor), or along `dim` (a 0-d x takes 0 or -1). Each element's gradient is the product
// of the others, formed from prefix and suffix products rather than out / x: right where x holds
// zeros, as torch's (one zero: only it gets a gradient; two or more: none does).
template <class T> Variable<T> prod(const Variable<T>& x);
template <class T> Variable<T> prod(const Variable<T>& x, std::ptrdiff_t dim, bool keepdim = false);

// The largest value along `dim` (torch.amax); tied maxima share the gradient equally.
// NaN counts as the largest value: a slice holding NaN has max NaN, and its NaNs get the gradient.
template <class T> Variable<T> amax(const Variable<T>& x, std::ptrdiff_t dim, bool keepdim = false);

template <class T>
struct MaxResult {
  Variable<T> values;
  Indices indices;  // the position along dim of each value; values' shape
};

// torch.max(x, dim): the largest value along `dim` and its position. The gradient goes to that one
// element, the first of tied maxima. NaN counts as the largest value: the first NaN is picked.
template <class T> MaxResult<T> max(const Variable<T>& x, std::ptrdiff_t dim, bool keepdim = false);

namespace detail {
// prod's forward on plain values (of every element when no dim), for any element type: the Long path
// of the Tensor op.
template <class T> Array<T> prod_values(const Array<T>& x, std::optional<std::ptrdiff_t> dim, bool keepdim);
}  // namespace detail

}  // namespace tg
