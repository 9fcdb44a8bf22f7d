// Joining tensors along a dim and splitting one apart: cat, stack, and their inverses chunk and
// split, with torch's semantics. Results are fresh contiguous tensors, as every tapegrad op's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <tapegrad/core/variable.hpp>

namespace tg {

// The tensors joined along an existing dim: all have the same rank and the same sizes except
// along `dim`. Each input's gradient is its slab of the output's gradient.
template <class T>
Variable<T> cat(const std::vector<Variable<T>>& tensors, std::ptrdiff_t dim = 0);

// The tensors joined along a new dim inserted at `dim` (-1 = after the last): all have the same
// shape; stack({a, b}, 0) has shape (2, a's shape...).
template <class T>
Variable<T> stack(const std::vector<Variable<T>>& tensors, std::ptrdiff_t dim = 0);

// x cut along dim into pieces of `split_size` (the last one smaller when the size is not a
// multiple): torch.split with an int. A dim of size 0 gives one empty piece.
template <class T>
std::vector<Variable<T>> split(const Variable<T>& x, std::int64_t split_size, std::ptrdiff_t dim = 0);

// x cut along dim into pieces of the given sizes, which must add up to the dim's size.
template <class T>
std::vector<Variable<T>> split(const Variable<T>& x, const std::vector<std::int64_t>& split_sizes,
                               std::ptrdiff_t dim = 0);

// x cut along dim into at most `chunks` equal pieces of ceil(size / chunks) (the last smaller):
// torch.chunk, which may return fewer pieces than asked (a size of 5 in 4 chunks gives 2, 2, 1).
template <class T>
std::vector<Variable<T>> chunk(const Variable<T>& x, std::int64_t chunks, std::ptrdiff_t dim = 0);

}  // namespace tg
