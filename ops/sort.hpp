// Sorting along one dim: sort, argsort and topk, with torch's order. NaN counts as larger than every
// number (last in an ascending sort, first in a descending one and in topk's largest). Equal values keep
// their order (a stable sort, as LibTorch's CPU sort).
#pragma once

#include <cstddef>

#include <tapegrad/core/variable.hpp>

namespace tg {

template <class T>
struct SortResult {
  Variable<T> values;
  Indices indices;  // each value's position along dim in x
};

// x's values along `dim` (negative counts from the end; a 0-d tensor takes 0 or -1) in ascending or
// descending order. The values' gradient goes back to the positions they came from.
template <class T> SortResult<T> sort(const Variable<T>& x, std::ptrdiff_t dim = -1, bool descending = false);

// sort's indices alone.
template <class T> Indices argsort(const Variable<T>& x, std::ptrdiff_t dim = -1, bool descending = false);

// The k largest (or smallest) values along `dim`, 0 <= k <= its size, largest (smallest) first. Of
// equal values the first in x comes first; LibTorch leaves that choice unspecified (its CPU kernel
// selects with an unstable partial sort), so with ties its indices may differ. `sorted = false` gives
// the same order (LibTorch's is unspecified then).
template <class T>
SortResult<T> topk(const Variable<T>& x, std::ptrdiff_t k, std::ptrdiff_t dim = -1, bool largest = true,
                   bool sorted = true);

namespace detail {
// The positions along `dim` of x's first `k` values in sorted order (all of them when k < 0), for any
// element type: sort's, argsort's and topk's indices, and those of the Tensor ops on Long and Bool.
template <class T>
Indices sort_indices(const Array<T>& x, std::ptrdiff_t dim, bool descending, std::ptrdiff_t k, const char* op);
}  // namespace detail

}  // namespace tg
