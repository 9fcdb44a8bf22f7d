// The row kernels of batch_norm and layer_norm: sums, centred sums of squares and per-row affine
// maps over one contiguous row, in xsimd batches with four accumulators (a scalar sum is bound by the
// add latency). Internal: included by op .cpp files only.
#pragma once

#include <cstddef>
#include <utility>

#include <xsimd/xsimd.hpp>

namespace tg::detail {

template <class T>
using NormBatch = xsimd::batch<T>;

// sum(x)
template <class T>
T row_sum(const T* x, std::size_t n) {
  constexpr std::size_t W = NormBatch<T>::size;
  NormBatch<T> a0(T(0)), a1(T(0)), a2(T(0)), a3(T(0));
  std::size_t k = 0;
  for (; k + 4 * W <= n; k += 4 * W) {
    a0 += NormBatch<T>::load_unaligned(x + k);
    a1 += NormBatch<T>::load_unaligned(x + k + W);
    a2 += NormBatch<T>::load_unaligned(x + k + 2 * W);
    a3 += NormBatch<T>::load_unaligned(x + k + 3 * W);
  }
  for (; k + W <= n; k += W) a0 += NormBatch<T>::load_unaligned(x + k);
  T s = xsimd::hadd((a0 + a1) + (a2 + a3));
  for (; k < n; ++k) s += x[k];
  return s;
}

// sum((x - mean)^2)
template <class T>
T row_centered_sumsq(const T* x, std::size_t n, T mean) {
  constexpr std::size_t W = NormBatch<T>::size;
  const NormBatch<T> m(mean);
  NormBatch<T> a0(T(0)), a1(T(0)), a2(T(0)), a3(T(0));
  auto dev = [&](std::size_t k) { return NormBatch<T>::load_unaligned(x + k) - m; };
  std::size_t k = 0;
  for (; k + 4 * W <= n; k += 4 * W) {
    const auto d0 = dev(k), d1 = dev(k + W), d2 = dev(k + 2 * W), d3 = dev(k + 3 * W);
    a0 = xsimd::fma(d0, d0, a0);
    a1 = xsimd::fma(d1, d1, a1);
    a2 = xsimd::fma(d2, d2, a2);
    a3 = xsimd::fma(d3, d3, a3);
  }
  for (; k + W <= n; k += W) {
    const auto d = dev(k);
    a0 = xsimd::fma(d, d, a0);
  }
  T s = xsimd::hadd((a0 + a1) + (a2 + a3));
  for (; k < n; ++k) s += (x[k] - mean) * (x[k] - mean);
  return s;
}

// (sum(g), sum(g * x)): what a normalisation's backward needs of a row, in one sweep.
template <class T>
std::pair<T, T> row_sum_and_dot(const T* g, const T* x, std::size_t n) {
  constexpr std::size_t W = NormBatch<T>::size;
  NormBatch<T> s0(T(0)), s1(T(0)), d0(T(0)), d1(T(0));
  std::size_t k = 0;
  for (; k + 2 * W <= n; k += 2 * W) {
    const auto g0 = NormBatch<T>::load_unaligned(g + k), g1 = NormBatch<T>::load_unaligned(g + k + W);
    s0 += g0;
    s1 += g1;
    d0 = xsimd::fma(g0, NormBatch<T>::load_unaligned(x + k), d0);
    d1 = xsimd::fma(g1, NormBatch<T>::load_unaligned(x + k + W), d1);
  }
  for (; k + W <= n; k += W) {
    const auto g0 = NormBatch<T>::load_unaligned(g + k);
    s0 += g0;
    d0 = xsimd::fma(g0, NormBatch<T>::load_unaligned(x + k), d0);
  }
  T s = xsimd::hadd(s0 + s1), d = xsimd::hadd(d0 + d1);
  for (; k < n; ++k) {
    s += g[k];
    d += g[k] * x[k];
  }
  return {s, d};
}

// y = a * x + b
template <class T>
void row_affine(const T* x, std::size_t n, T a, T b, T* y) {
  constexpr std::size_t W = NormBatch<T>::size;
  const NormBatch<T> va(a), vb(b);
  std::size_t k = 0;
  for (; k + W <= n; k += W) xsimd::fma(va, NormBatch<T>::load_unaligned(x + k), vb).store_unaligned(y + k);
  for (; k < n; ++k) y[k] = a * x[k] + b;
}

// y = a * g + b * x + c
template <class T>
void row_affine2(const T* g, const T* x, std::size_t n, T a, T b, T c, T* y) {
  constexpr std::size_t W = NormBatch<T>::size;
  const NormBatch<T> va(a), vb(b), vc(c);
  std::size_t k = 0;
  for (; k + W <= n; k += W)
    xsimd::fma(va, NormBatch<T>::load_unaligned(g + k), xsimd::fma(vb, NormBatch<T>::load_unaligned(x + k), vc))
        .store_unaligned(y + k);
  for (; k < n; ++k) y[k] = a * g[k] + (b * x[k] + c);
}

}  // namespace tg::detail
