// tg::Array: the plain n-d array every Variable holds (an xtensor xarray, row-major, dynamic rank),
// plus the shape helpers and the exception type that every op uses for bad input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <xtensor/xarray.hpp>

namespace tg {

template <class T>
using Array = xt::xarray<T, xt::layout_type::row_major>;

using Shape = std::vector<std::size_t>;

// Integer positions: index_select's and gather's index, max's indices.
using Indices = xt::xarray<std::int64_t, xt::layout_type::row_major>;
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

template <class S>
Shape to_shape(const S& shape) {
  return Shape(shape.begin(), shape.end());
}

// NumPy's broadcast of two shapes, or an Error naming `op` and both shapes.
Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op);

// Resolves a possibly negative dim (-1 = last) against `rank`, or throws naming `op`.
std::size_t normalize_dim(std::ptrdiff_t dim, std::size_t rank, const char* op);

}  // namespace tg
