#include <tapegrad/ops/concat.hpp>

#include <algorithm>
#include <functional>
#include <numeric>

#include <tapegrad/core/tape.hpp>
#include <tapegrad/ops/shape.hpp>

namespace tg {
namespace {

std::size_t product(Shape::const_iterator first, Shape::const_iterator last) {
  return std::accumulate(first, last, std::size_t{1}, std::multiplies<>());
}

template <class T>
std::vector<Shape> checked_shapes(const std::vector<Variable<T>>& tensors, const char* op) {
  if (tensors.empty()) throw Error(std::string(op) + ": expected a non-empty list of tensors");
  std::vector<Shape> shapes;
  for (std::size_t i = 0; i < tensors.size(); ++i) {
    if (!tensors[i].defined()) throw Error(std::string(op) + ": tensor " + std::to_string(i) + " is undefined");
    shapes.push_back(tensors[i].shape());
  }
  return shapes;
}

// cat and stack are one kernel: every input is seen as (outer, block) with the same outer count,
// and the output row o is the inputs' rows o laid end to end. For cat the block of input i is
// size_i * inner; for stack it is the whole trailing part of the shape.
template <class T>
Variable<T> join(const std::vector<Variable<T>>& tensors, std::size_t outer, Shape out_shape, const char* op) {
  std::vector<std::size_t> blocks;
  std::size_t row = 0;  // one output row: the blocks end to end
  for (const Variable<T>& t : tensors) {
    blocks.push_back(outer == 0 ? 0 : t.numel() / outer);
    row += blocks.back();
  }
  Array<T> out = Array<T>::from_shape(out_shape);
  T* dst = out.data();
  for (std::size_t o = 0; o < outer; ++o)
    for (std::size_t i = 0; i < tensors.size(); ++i)
      dst = std::copy_n(tensors[i].value().data() + o * blocks[i], blocks[i], dst);
  return record<T>(op, std::move(out), tensors, [outer, row, blocks = std::move(blocks)](Array<T>& g, Grads<T>& grads) {
    for (std::size_t i = 0, start = 0; i < blocks.size(); start += blocks[i], ++i) {
      if (!grads.needs(i)) continue;
      bool fresh = false;
      T* dx = grads.buffer(i, fresh);
      const std::size_t b = blocks[i];
      for (std::size_t o = 0; o < outer; ++o) {
        const T* src = g.data() + o * row + start;
        if (fresh) std::copy_n(src, b, dx + o * b);
        else
          for (std::size_t k = 0; k < b; ++k) dx[o * b + k] += src[k];
      }
    }
  });
}

template <class T>
std::vector<Variable<T>> pieces(const Variable<T>& x, std::ptrdiff_t dim, const std::vector<std::size_t>& sizes) {
  std::vector<Variable<T>> out;
  std::size_t start = 0;
  for (const std::size_t s : sizes) {
    out.push_back(narrow(x, dim, static_cast<std::ptrdiff_t>(start), static_cast<std::ptrdiff_t>(s)));
    start += s;
  }
  return out;
}

}  // namespace

template <class T>
Variable<T> cat(const std::vector<Variable<T>>& tensors, std::ptrdiff_t dim) {
  const std::vector<Shape> shapes = checked_shapes(tensors, "cat");
  const Shape& first = shapes[0];
  if (first.empty()) throw Error("cat: zero-dimensional tensor (at position 0) cannot be concatenated");
  const std::size_t d = normalize_dim(dim, first.size(), "cat");
  Shape out_shape = first;
  out_shape[d] = 0;
  for (const Shape& s : shapes) {
    bool match = s.size() == first.size();
    for (std::size_t k = 0; match && k < s.size(); ++k) match = k == d || s[k] == first[k];
    if (!match)
      throw Error("cat: expected tensors of the same rank and the same sizes except along dim " +
                  std::to_string(dim) + ", got shapes " + shapes_str(shapes));
    out_shape[d] += s[d];
  }
  return join(tensors, product(first.begin(), first.begin() + d), std::move(out_shape), "cat");
}

template <class T>
Variable<T> stack(const std::vector<Variable<T>>& tensors, std::ptrdiff_t dim) {
  const std::vector<Shape> shapes = checked_shapes(tensors, "stack");
  const Shape& first = shapes[0];
  for (const Shape& s : shapes)
    if (s != first) throw Error("stack: expected tensors of the same shape, got shapes " + shapes_str(shapes));
  const std::size_t d = normalize_dim(dim, first.size() + 1, "stack");
  return join(tensors, product(first.begin(), first.begin() + d), insert_dim(first, d, tensors.size()), "stack");
}

template <class T>
std::vector<Variable<T>> split(const Variable<T>& x, std::int64_t split_size, std::ptrdiff_t dim) {
  const std::size_t d = normalize_dim(dim, x.dim(), "split");
  const std::size_t size = x.shape()[d];
  if (split_size < 0 || (split_size == 0 && size != 0))
    throw Error("split: split_size " + std::to_string(split_size) + " for dim " + std::to_string(dim) + " of size " +
                std::to_string(size) + " in shape " + shape_str(x.shape()) +
                " (expected split_size > 0, or 0 for a dim of size 0)");
  std::vector<std::size_t> sizes;
  const auto step = static_cast<std::size_t>(split_size);
  for (std::size_t start = 0; start < size; start += step) sizes.push_back(std::min(step, size - start));
  if (sizes.empty()) sizes.push_back(0);
  return pieces(x, dim, sizes);
}

template <class T>
std::vector<Variable<T>> split(const Variable<T>& x, const std::vector<std::int64_t>& split_sizes, std::ptrdiff_t dim) {
  const std::size_t d = normalize_dim(dim, x.dim(), "split");
  const std::size_t size = x.shape()[d];
  std::vector<std::size_t> sizes;
  std::size_t total = 0;
  bool ok = true;
  for (const std::int64_t s : split_sizes) {
    ok = ok && s >= 0 && static_cast<std::size_t>(s) <= size - std::min(total, size);
    if (!ok) break;
    sizes.push_back(static_cast<std::size_t>(s));
    total += sizes.back();
  }
  if (!ok || total != size)
    throw Error("split: split_sizes " + shape_str(split_sizes) + " do not add up to the size " + std::to_string(size) +
                " of dim " + std::to_string(dim) + " in shape " + shape_str(x.shape()) +
                " (expected sizes >= 0 summing exactly to it)");
  return pieces(x, dim, sizes);
}

template <class T>
std::vector<Variable<T>> chunk(const Variable<T>& x, std::int64_t chunks, std::ptrdiff_t dim) {
  const std::size_t d = normalize_dim(dim, x.dim(), "chunk");
  if (chunks <= 0) throw Error("chunk: expected chunks > 0, got " + std::to_string(chunks));
  const std::size_t size = x.shape()[d];
  // torch: an empty dim gives `chunks` empty pieces, not one.
  if (size == 0) return pieces(x, dim, std::vector<std::size_t>(static_cast<std::size_t>(chunks), 0));
  const auto n = static_cast<std::size_t>(chunks);
  return split(x, static_cast<std::int64_t>((size + n - 1) / n), dim);
}

#define TG_INSTANTIATE(T)                                                                                       \
  template Variable<T> cat(const std::vector<Variable<T>>&, std::ptrdiff_t);                                    \
  template Variable<T> stack(const std::vector<Variable<T>>&, std::ptrdiff_t);                                  \
  template std::vector<Variable<T>> split(const Variable<T>&, std::int64_t, std::ptrdiff_t);                    \
  template std::vector<Variable<T>> split(const Variable<T>&, const std::vector<std::int64_t>&, std::ptrdiff_t); \
  template std::vector<Variable<T>> chunk(const Variable<T>&, std::int64_t, std::ptrdiff_t);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)
#undef TG_INSTANTIATE

}  // namespace tg
