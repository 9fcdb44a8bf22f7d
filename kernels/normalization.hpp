// The row kernels of batch_norm and layer_norm, beside row_sum (kernels/sums.hpp): a centred sum of
// squares, the (sum, dot) pair a backward needs, and the affine maps y = a·x + b and y = a·g + b·x + c,
// over one contiguous row with scalar coefficients. Several vector accumulators: one would be a serial
// chain of adds, bound by the add latency.
#pragma once

#include <cstddef>
#include <utility>

#include <tapegrad/kernels/simd.hpp>

namespace tg::kernels::TG_SIMD_ARCH {

// sum((x - mean)^2)
template <class T>
T row_centered_sumsq(const T* x, std::size_t n, T mean) {
  constexpr std::size_t W = kLanes<T>;
  const Vec<T> m(mean);
  Vec<T> a0(T(0)), a1(T(0)), a2(T(0)), a3(T(0));
  auto dev = [&](std::size_t k) { return Vec<T>::load_unaligned(x + k) - m; };
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
  constexpr std::size_t W = kLanes<T>;
  Vec<T> s0(T(0)), s1(T(0)), d0(T(0)), d1(T(0));
  std::size_t k = 0;
  for (; k + 2 * W <= n; k += 2 * W) {
    const auto g0 = Vec<T>::load_unaligned(g + k), g1 = Vec<T>::load_unaligned(g + k + W);
    s0 += g0;
    s1 += g1;
    d0 = xsimd::fma(g0, Vec<T>::load_unaligned(x + k), d0);
    d1 = xsimd::fma(g1, Vec<T>::load_unaligned(x + k + W), d1);
  }
  for (; k + W <= n; k += W) {
    const auto g0 = Vec<T>::load_unaligned(g + k);
    s0 += g0;
    d0 = xsimd::fma(g0, Vec<T>::load_unaligned(x + k), d0);
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
  constexpr std::size_t W = kLanes<T>;
  const Vec<T> va(a), vb(b);
  std::size_t k = 0;
  for (; k + W <= n; k += W) xsimd::fma(va, Vec<T>::load_unaligned(x + k), vb).store_unaligned(y + k);
  for (; k < n; ++k) y[k] = a * x[k] + b;
}

// y = a * g + b * x + c
template <class T>
void row_affine2(const T* g, const T* x, std::size_t n, T a, T b, T c, T* y) {
  constexpr std::size_t W = kLanes<T>;
  const Vec<T> va(a), vb(b), vc(c);
  std::size_t k = 0;
  for (; k + W <= n; k += W)
    xsimd::fma(va, Vec<T>::load_unaligned(g + k), xsimd::fma(vb, Vec<T>::load_unaligned(x + k), vc))
        .store_unaligned(y + k);
  for (; k < n; ++k) y[k] = a * g[k] + (b * x[k] + c);
}

}  // namespace tg::kernels::TG_SIMD_ARCH
