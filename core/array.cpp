#include <tapegrad/core/array.hpp>

#include <algorithm>

namespace tg {

namespace detail {
void throw_numel_overflow(const Shape& shape, const char* op) {
  throw Error(std::string(op) + ": shape " + shape_str(shape) +
              " has more elements than a 64-bit count holds (expected the product of its nonzero dims to be at most "
              "2^63 - 1)");
}
}  // namespace detail

std::size_t checked_numel(std::initializer_list<std::size_t> shape, const char* op) {
  return checked_numel(shape.begin(), shape.end(), op);
}

Shape insert_dim(const Shape& shape, std::size_t d, std::size_t n) {
  Shape out;  // built by push_back: GCC 12 misreads svector::insert as out of bounds
  for (std::size_t k = 0; k < d; ++k) out.push_back(shape[k]);
  out.push_back(n);
  for (std::size_t k = d; k < shape.size(); ++k) out.push_back(shape[k]);
  return out;
}

Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op) {
  const std::size_t n = std::max(a.size(), b.size());
  Shape out(n);
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t da = k < n - a.size() ? 1 : a[k - (n - a.size())];
    const std::size_t db = k < n - b.size() ? 1 : b[k - (n - b.size())];
    if (da != db && da != 1 && db != 1)
      throw Error(std::string(op) + ": shapes " + shape_str(a) + " and " + shape_str(b) +
                  " do not broadcast (expected equal dims or 1 at each trailing position)");
    out[k] = std::max(da, db);
  }
  checked_numel(out, op);
  return out;
}

std::size_t normalize_dim(std::ptrdiff_t dim, std::size_t rank, const char* op) {
  const auto r = static_cast<std::ptrdiff_t>(rank);
  if (dim < -r || dim >= r || rank == 0)
    throw Error(std::string(op) + ": dim " + std::to_string(dim) + " is out of range for a tensor of rank " +
                std::to_string(rank) + " (expected " + std::to_string(-r) + " <= dim < " + std::to_string(r) + ")");
  return static_cast<std::size_t>(dim < 0 ? dim + r : dim);
}

std::string shapes_str(const std::vector<Shape>& shapes) {
  std::string s;
  for (std::size_t i = 0; i < shapes.size(); ++i) s += (i ? ", " : "") + shape_str(shapes[i]);
  return s;
}

}  // namespace tg
