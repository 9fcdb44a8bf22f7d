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

// The last n < kLanes elements of a row as one vector, the lanes past them `fill`: rows shorter than
// a vector (MNIST's 10 classes) then take xsimd's exp too, where std::exp element by element was most
// of the MLP's cross-entropy.
template <class T>
Vec<T> load_tail(const T* x, std::size_t n, T fill) {
  alignas(64) T lanes[kLanes<T>];
  std::fill(lanes, lanes + kLanes<T>, fill);
  std::copy_n(x, n, lanes);
  return Vec<T>::load_aligned(lanes);
}

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
  if (k < n) vs += xsimd::exp(load_tail(x + k, n - k, -std::numeric_limits<T>::infinity()) - vm);  // exp(-inf) = 0
  return {m, std::log(xsimd::hadd(vs))};
}

// y = scale * exp((x - shift.max) - shift.log_sum) over a row, or y += that when `accumulate`.
// Shifted by the row's logsumexp this is its softmax: every backward of the family is one call.
template <class T>
void row_scaled_exp(const T* x, RowLse<T> shift, T scale, T* y, std::size_t n, bool accumulate = false) {
  constexpr std::size_t W = kLanes<T>;
  const Vec<T> vmax(shift.max), vlog_sum(shift.log_sum), vscale(scale);
  auto scaled_exp = [&](const Vec<T>& v) { return vscale * xsimd::exp((v - vmax) - vlog_sum); };
  std::size_t k = 0;
  // (An if, not `(accumulate ? e + y : e).store...`: at AVX-512 double that ternary added y into
  // lane 0 only, built with GCC 12 and xsimd 8; the kernel test caught it.)
  if (accumulate)
    for (; k + W <= n; k += W)
      (scaled_exp(Vec<T>::load_unaligned(x + k)) + Vec<T>::load_unaligned(y + k)).store_unaligned(y + k);
  else
    for (; k + W <= n; k += W) scaled_exp(Vec<T>::load_unaligned(x + k)).store_unaligned(y + k);
  if (k == n) return;
  alignas(64) T tail[W];
  scaled_exp(load_tail(x + k, n - k, shift.max)).store_aligned(tail);  // finite in the unused lanes
  for (std::size_t i = 0; k + i < n; ++i) y[k + i] = accumulate ? y[k + i] + tail[i] : tail[i];
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
