// tg::Array: the plain n-d array every Variable holds (an xtensor xarray, row-major, dynamic rank),
// plus the shape helpers and the exception type that every op uses for bad input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <xtensor/xarray.hpp>

#include <tapegrad/core/allocator.hpp>

namespace tg {

// Its buffer comes from tapegrad's per-thread cache (core/allocator.hpp).
template <class T>
using Array = xt::xarray<T, xt::layout_type::row_major, BufferAllocator<T>>;

// xtensor's own shape type: up to four dims are held inline, so copying an array's shape (every
// Variable keeps one) allocates nothing.
using Shape = xt::svector<std::size_t, 4>;
static_assert(std::is_same_v<Shape, Array<float>::shape_type>);

// Frees a's buffer; a keeps its shape but no elements, and is assigned before it is read again (a
// gradient whose has_grad is false). Assigning Array<T>() instead would allocate: xtensor's default
// array is 0-d, with one element.
template <class T>
void free_buffer(Array<T>& a) noexcept {
  a.storage() = typename Array<T>::storage_type();
}

// A shared tg::Array whose header and reference counts come from the buffer cache too, in one block.
template <class T, class... Args>
std::shared_ptr<Array<T>> make_shared_array(Args&&... args) {
  return std::allocate_shared<Array<T>>(BufferAllocator<Array<T>>(), std::forward<Args>(args)...);
}

// Integer positions: index_select's and gather's index, max's indices.
using Indices = Array<std::int64_t>;
// Integer class targets (nll_loss, cross_entropy) and dataset labels: the same type, named for its use.
using Labels = Indices;

// Every error tapegrad raises for bad input: its message names the op, the shapes and what was expected.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

template <class S>
std::string shape_str(const S& shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + (shape.size() == 1 ? ",)" : ")");
}

// "(2, 3), (4,)": the shapes of an op's inputs, for its error messages.
std::string shapes_str(const std::vector<Shape>& shapes);

template <class S>
Shape to_shape(const S& shape) {
  return Shape(shape.begin(), shape.end());
}

// The element count of a tensor of this shape, or an Error naming `op` and the shape when the count
// does not fit a signed 64-bit integer (LibTorch's limit). Dims of size 0 are left out of the test, so
// an empty tensor cannot carry a shape such as (0, 2^40, 2^40) either: every product of some of a
// checked shape's dims fits, and kernels may multiply a tensor's dims freely. Every shape tapegrad forms
// (reshape targets, broadcasts, op outputs, factories, file headers) goes through it before anything
// is allocated, and every Variable's shape has passed it.
template <class It>
std::size_t checked_numel(It first, It last, const char* op);
template <class S>
std::size_t checked_numel(const S& shape, const char* op) {
  return checked_numel(std::begin(shape), std::end(shape), op);
}
std::size_t checked_numel(std::initializer_list<std::size_t> shape, const char* op);

// `shape` with a new dim of size n at position d (d <= shape.size()): stack's and unsqueeze's shape.
Shape insert_dim(const Shape& shape, std::size_t d, std::size_t n);

// NumPy's broadcast of two shapes, or an Error naming `op` and both shapes.
Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op);

// Resolves a possibly negative dim (-1 = last) against `rank`, or throws naming `op`.
std::size_t normalize_dim(std::ptrdiff_t dim, std::size_t rank, const char* op);

namespace detail {
[[noreturn]] void throw_numel_overflow(const Shape& shape, const char* op);
}

template <class It>
std::size_t checked_numel(It first, It last, const char* op) {
  constexpr std::size_t kMax = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
  std::size_t nonzero = 1;
  bool empty = false;
  for (It it = first; it != last; ++it) {
    const auto d = static_cast<std::size_t>(*it);
    if (d == 0) {
      empty = true;
    } else if (__builtin_mul_overflow(nonzero, d, &nonzero) || nonzero > kMax) {
      detail::throw_numel_overflow(Shape(first, last), op);
    }
  }
  return empty ? 0 : nonzero;
}

}  // namespace tg
