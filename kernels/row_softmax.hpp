// The row kernels of the softmax family: logsumexp, log_softmax, softmax and cross_entropy all run
// one contiguous row at a time through these. Raw rows, not xtensor's N×1 broadcasts (16x slower,
// and exp loses SIMD: docs/xtensor-notes.md); exp and the reductions use xsimd vectors directly.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

#include <tapegrad/kernels/simd.hpp>
#include <tapegrad/kernels/table.hpp>

namespace tg::kernels::TG_SIMD_ARCH {

// The row's logsumexp, max subtracted before exp so rows of ±1000 stay finite. An empty row gives
// -inf, a row holding +inf gives +inf, a NaN anywhere gives NaN (torch's answers).
template <class T>
RowLse<T> row_logsumexp(const T* x, std::size_t n) {
  constexpr std::size_t W = kLanes<T>;
  T m = -std::numeric_limits<T>::infinity();
  std::size_t k = 0;
  if (n >= W) {
    Vec<T> vm = Vec<T>::load_unaligned(x);
    for (k = W; k + W <= n; k += W) vm = xsimd::max(vm, Vec<T>::load_unaligned(x + k));
    T lanes[W];
    vm.store_unaligned(lanes);
    m = *std::max_element(lanes, lanes + W);
  }
  for (; k < n; ++k) m = std::max(m, x[k]);
  // An infinite max would make x - max NaN; shifting by 0 instead gives the ±inf.
  if (std::isinf(m)) m = 0;
  Vec<T> vs(T(0));
  const Vec<T> vm(m);
  for (k = 0; k + W <= n; k += W) vs += xsimd::exp(Vec<T>::load_unaligned(x + k) - vm);
  T s = xsimd::hadd(vs);
  for (; k < n; ++k) s += std::exp(x[k] - m);
  return {m, std::log(s)};
}

// y = scale * exp((x - shift.max) - shift.log_sum) over a row, or y += that when `accumulate`.
// Shifted by the row's logsumexp this is its softmax: every backward of the family is one call.
template <class T>
void row_scaled_exp(const T* x, RowLse<T> shift, T scale, T* y, std::size_t n, bool accumulate = false) {
  constexpr std::size_t W = kLanes<T>;
  const Vec<T> vmax(shift.max), vlog_sum(shift.log_sum), vscale(scale);
  auto batch_exp = [&](std::size_t k) { return xsimd::exp((Vec<T>::load_unaligned(x + k) - vmax) - vlog_sum); };
  auto scalar_exp = [&](std::size_t k) { return std::exp((x[k] - shift.max) - shift.log_sum); };
  std::size_t k = 0;
  if (accumulate) {
    for (; k + W <= n; k += W) xsimd::fma(vscale, batch_exp(k), Vec<T>::load_unaligned(y + k)).store_unaligned(y + k);
    for (; k < n; ++k) y[k] += scale * scalar_exp(k);
  } else {
    for (; k + W <= n; k += W) (vscale * batch_exp(k)).store_unaligned(y + k);
    for (; k < n; ++k) y[k] = scale * scalar_exp(k);
  }
}

// sum(a * b) over a row (softmax's backward needs <g, y> per row).
template <class T>
T row_dot(const T* a, const T* b, std::size_t n) {
  constexpr std::size_t W = kLanes<T>;
  Vec<T> vs(T(0));
  std::size_t k = 0;
  for (; k + W <= n; k += W) vs = xsimd::fma(Vec<T>::load_unaligned(a + k), Vec<T>::load_unaligned(b + k), vs);
  T s = xsimd::hadd(vs);
  for (; k < n; ++k) s += a[k] * b[k];
  return s;
}

}  // namespace tg::kernels::TG_SIMD_ARCH
