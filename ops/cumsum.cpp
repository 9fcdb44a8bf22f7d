#include <tapegrad/ops/cumsum.hpp>

#include <algorithm>

#include <tapegrad/core/tape.hpp>

namespace tg {
namespace {

// A tensor seen around the scanned dim as (outer, n, inner): the scan adds whole rows of `inner`.
struct ScanRows {
  std::size_t outer = 1, n = 1, inner = 1;
};

ScanRows scan_rows(const Shape& shape, std::ptrdiff_t dim) {
  const std::size_t d = normalize_dim(dim, std::max<std::size_t>(shape.size(), 1), "cumsum");
  ScanRows r;
  for (std::size_t k = 0; k < shape.size(); ++k) (k < d ? r.outer : k == d ? r.n : r.inner) *= shape[k];
  return r;
}

// dst row j = src row j + dst row j -/+ 1: forwards (the sum) or backwards (its gradient).
template <class T>
void scan_into(const T* src, const ScanRows& r, bool backwards, T* dst) {
  const std::size_t slab = r.n * r.inner;
  for (std::size_t o = 0; o < r.outer; ++o, src += slab, dst += slab)
    for (std::size_t step = 0; step < r.n; ++step) {
      const std::size_t j = backwards ? r.n - 1 - step : step;
      T* row = dst + j * r.inner;
      const T* in = src + j * r.inner;
      if (step == 0) {
        std::copy_n(in, r.inner, row);
        continue;
      }
      const T* prev = backwards ? row + r.inner : row - r.inner;
      for (std::size_t i = 0; i < r.inner; ++i) row[i] = in[i] + prev[i];
    }
}

}  // namespace

template <class T>
Array<T> detail::cumsum_values(const Array<T>& x, std::ptrdiff_t dim) {
  const ScanRows r = scan_rows(to_shape(x.shape()), dim);
  Array<T> out = Array<T>::from_shape(x.shape());
  scan_into(x.data(), r, false, out.data());
  return out;
}

template <class T>
Variable<T> cumsum(const Variable<T>& x, std::ptrdiff_t dim) {
  return record<T>("cumsum", detail::cumsum_values(x.value(), dim), {x},
                   [r = scan_rows(x.shape(), dim)](Array<T>& g, Grads<T>& grads) {
                     Array<T> dx = Array<T>::from_shape(g.shape());
                     scan_into(g.data(), r, true, dx.data());
                     grads.add(0, std::move(dx));
                   });
}

template Array<std::int64_t> detail::cumsum_values(const Array<std::int64_t>&, std::ptrdiff_t);
#define TG_INSTANTIATE(T)                                             \
  template Variable<T> cumsum(const Variable<T>&, std::ptrdiff_t);    \
  template Array<T> detail::cumsum_values(const Array<T>&, std::ptrdiff_t);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)
#undef TG_INSTANTIATE

}  // namespace tg
