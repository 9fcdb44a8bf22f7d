#include <tapegrad/ops/sort.hpp>

#include <algorithm>
#include <numeric>
#include <string>
#include <type_traits>
#include <vector>

#include <tapegrad/ops/shape.hpp>

namespace tg {
namespace {

template <class T>
bool is_nan(T v) {
  if constexpr (std::is_floating_point_v<T>) return v != v;
  return false;
}

// Whether a comes before b: by value (NaN the largest, NaNs equal), then by position, so that every
// order is total and a partial sort picks the earliest of equal values.
template <class T>
struct SortsBefore {
  const T* row;
  std::size_t stride;
  bool descending;
  bool operator()(std::int64_t i, std::int64_t j) const {
    const T a = row[static_cast<std::size_t>(i) * stride], b = row[static_cast<std::size_t>(j) * stride];
    const bool an = is_nan(a), bn = is_nan(b);
    if (an != bn) return descending ? an : bn;
    if (!an && a != b) return descending ? b < a : a < b;
    return i < j;
  }
};

}  // namespace

template <class T>
Indices detail::sort_indices(const Array<T>& x, std::ptrdiff_t dim, bool descending, std::ptrdiff_t k, const char* op) {
  const Shape shape = to_shape(x.shape());
  const std::size_t d = normalize_dim(dim, std::max<std::size_t>(shape.size(), 1), op);
  std::size_t outer = 1, n = 1, inner = 1;
  for (std::size_t e = 0; e < shape.size(); ++e) (e < d ? outer : e == d ? n : inner) *= shape[e];
  if (k > static_cast<std::ptrdiff_t>(n))
    throw Error(std::string(op) + ": k " + std::to_string(k) + " is larger than dim " + std::to_string(dim) +
                " of size " + std::to_string(n) + " in shape " + shape_str(shape) + " (expected 0 <= k <= " +
                std::to_string(n) + ")");
  // A 0-d tensor gives its one element for any k, as torch's.
  const std::size_t taken = k < 0 || shape.empty() ? n : static_cast<std::size_t>(k);
  Shape out_shape = shape;
  if (!out_shape.empty()) out_shape[d] = taken;
  Indices out = Indices::from_shape(out_shape);
  std::vector<std::int64_t> order(n);
  for (std::size_t o = 0; o < outer; ++o)
    for (std::size_t i = 0; i < inner; ++i) {
      std::iota(order.begin(), order.end(), std::int64_t{0});
      const SortsBefore<T> before{x.data() + o * n * inner + i, inner, descending};
      if (taken == n)
        std::sort(order.begin(), order.end(), before);
      else
        std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(taken), order.end(), before);
      std::int64_t* dst = out.data() + o * taken * inner + i;
      for (std::size_t j = 0; j < taken; ++j) dst[j * inner] = order[j];
    }
  return out;
}

template <class T>
SortResult<T> sort(const Variable<T>& x, std::ptrdiff_t dim, bool descending) {
  Indices indices = detail::sort_indices(x.value(), dim, descending, -1, "sort");
  // gather's backward scatters the values' gradient to where they came from.
  return {x.dim() == 0 ? reshape(x, {}) : gather(x, dim, indices), std::move(indices)};
}

template <class T>
Indices argsort(const Variable<T>& x, std::ptrdiff_t dim, bool descending) {
  return detail::sort_indices(x.value(), dim, descending, -1, "argsort");
}

template <class T>
SortResult<T> topk(const Variable<T>& x, std::ptrdiff_t k, std::ptrdiff_t dim, bool largest, bool /*sorted*/) {
  if (k < 0) throw Error("topk: k " + std::to_string(k) + " is negative (expected 0 <= k <= the dim's size)");
  Indices indices = detail::sort_indices(x.value(), dim, largest, k, "topk");
  return {x.dim() == 0 ? reshape(x, {}) : gather(x, dim, indices), std::move(indices)};
}

template Indices detail::sort_indices(const Array<std::int64_t>&, std::ptrdiff_t, bool, std::ptrdiff_t, const char*);
template Indices detail::sort_indices(const Array<bool>&, std::ptrdiff_t, bool, std::ptrdiff_t, const char*);
#define TG_INSTANTIATE(T)                                                                                  \
  template SortResult<T> sort(const Variable<T>&, std::ptrdiff_t, bool);                                   \
  template Indices argsort(const Variable<T>&, std::ptrdiff_t, bool);                                      \
  template SortResult<T> topk(const Variable<T>&, std::ptrdiff_t, std::ptrdiff_t, bool, bool);             \
  template Indices detail::sort_indices(const Array<T>&, std::ptrdiff_t, bool, std::ptrdiff_t, const char*);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)
#undef TG_INSTANTIATE

}  // namespace tg
