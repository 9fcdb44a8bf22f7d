// Shape ops: reshape/view/flatten, transpose/permute, narrow, expand, flip, repeat, and the index ops index_select and
// gather, with torch's semantics. Every result is a fresh contiguous tensor (a Variable owns its
// buffer), so none of them aliases its input.
#pragma once

#include <cstddef>
#include <vector>

#include <tapegrad/core/variable.hpp>

namespace tg {

// The same elements in a new shape; one entry may be -1 (inferred from the element count).
template <class T>
Variable<T> reshape(const Variable<T>& x, const std::vector<std::ptrdiff_t>& shape);

// torch.view. Our tensors are always contiguous, so a view is exactly a reshape (and, like every op
// here, a copy: writing into the result never changes x).
template <class T>
Variable<T> view(const Variable<T>& x, const std::vector<std::ptrdiff_t>& shape);

// Merges dims start_dim..end_dim (inclusive, negative counts from the end) into one: torch.flatten.
// A 0-d tensor becomes shape (1,).
template <class T>
Variable<T> flatten(const Variable<T>& x, std::ptrdiff_t start_dim = 0, std::ptrdiff_t end_dim = -1);

// Reorders the dims: result dim k is x's dim dims[k]. The result is contiguous (a copy).
template <class T>
Variable<T> permute(const Variable<T>& x, const std::vector<std::ptrdiff_t>& dims);

// Swaps two dims (a permute).
template <class T>
Variable<T> transpose(const Variable<T>& x, std::ptrdiff_t dim0, std::ptrdiff_t dim1);

// Elements start..start+length-1 along dim (a negative start counts from the end): torch.narrow.
// On dim 0 it is one contiguous copy: the way to take a batch of rows.
template <class T>
Variable<T> narrow(const Variable<T>& x, std::ptrdiff_t dim, std::ptrdiff_t start, std::ptrdiff_t length);

// x repeated along dims of size 1 and new leading dims up to `sizes` (-1 keeps a dim): torch.expand.
// x's dims line up with the last ones of `sizes`; a dim of size other than 1 keeps its size. The
// gradient is summed back over the repeats (where the tape sums every broadcast input's).
template <class T>
Variable<T> expand(const Variable<T>& x, const std::vector<std::ptrdiff_t>& sizes);

// x with the order of its elements reversed along each of `dims` (distinct; none is a copy): torch.flip.
// A 0-d tensor takes dim 0 or -1, as torch's.
template <class T>
Variable<T> flip(const Variable<T>& x, const std::vector<std::ptrdiff_t>& dims);

// x tiled sizes[k] times along dim k: torch.repeat. `sizes` has at least x's rank entries, each >= 0;
// extra leading ones add new leading dims. The gradient sums the tiles.
template <class T>
Variable<T> repeat(const Variable<T>& x, const std::vector<std::ptrdiff_t>& sizes);

// The slices of x along dim picked by the 1-D `index` (repeats allowed): torch.index_select.
// index_select(embedding, 0, ids) is an embedding lookup.
template <class T>
Variable<T> index_select(const Variable<T>& x, std::ptrdiff_t dim, const Indices& index);

// out[i][j][k] = x[i][index[i][j][k]][k] for dim 1 (likewise for any dim): torch.gather. `index`
// has x's rank and no dim larger than x's except along `dim`; the result has index's shape.
template <class T>
Variable<T> gather(const Variable<T>& x, std::ptrdiff_t dim, const Indices& index);

// gather's inverse: x with out[i][index[i][j][k]][k] = src[i][j][k] for dim 1 (likewise for any dim),
// or += with `add`: torch.scatter and torch.scatter_add. `index` fits x as for gather, and src has
// index's shape (the Tensor-level op first narrows a larger src to it, as LibTorch reads only that
// corner of src). Where index repeats a target, scatter keeps the last write along dim, as LibTorch on
// the CPU, and scatter_add sums them. Gradients, LibTorch's formulas: src's is g gathered at index (so
// with a repeated target an overwritten element of src gets it too); x's is g, but zero where scatter
// wrote (scatter_add passes all of g).
template <class T>
Variable<T> scatter(const Variable<T>& x, std::ptrdiff_t dim, const Indices& index, const Variable<T>& src, bool add);
// The same with one value written at every target.
template <class T>
Variable<T> scatter(const Variable<T>& x, std::ptrdiff_t dim, const Indices& index, T value);
// scatter's values without a gradient, for any dtype (the integer tensors' path): src as above, or
// `value` everywhere when src is null.
template <class T>
Array<T> scatter_values(const Array<T>& x, std::ptrdiff_t dim, const Indices& index, const T* src, T value, bool add,
                        const char* op);

}  // namespace tg
