// Elementwise exp, log, tanh and sigmoid over a contiguous buffer: the transcendental functions,
// where a vector lane's worth of polynomial pays; and bytes to T, scaled and shifted. xtensor's
// xt::exp and friends vectorise only for the instruction set the library is compiled for, the x86-64
// baseline (SSE2, about 2.7x slower than AVX2 on exp, tanh and sigmoid: docs/performance.md); these
// run the CPU's best level. xsimd on whole vectors, the C library on the tail, as xtensor does.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

#include <tapegrad/kernels/simd.hpp>

namespace tg::kernels::TG_SIMD_ARCH {

// y[i] = f(x[i]): vf on whole vectors, sf on the rest. y may be x.
template <class T, class VF, class SF>
void map(const T* x, std::size_t n, T* y, VF vf, SF sf) {
  constexpr std::size_t W = kLanes<T>;
  std::size_t k = 0;
  for (; k + W <= n; k += W) vf(Vec<T>::load_unaligned(x + k)).store_unaligned(y + k);
  for (; k < n; ++k) y[k] = sf(x[k]);
}

template <class T>
void map_exp(const T* x, std::size_t n, T* y) {
  map(x, n, y, [](Vec<T> v) { return xsimd::exp(v); }, [](T v) { return std::exp(v); });
}

template <class T>
void map_log(const T* x, std::size_t n, T* y) {
  map(x, n, y, [](Vec<T> v) { return xsimd::log(v); }, [](T v) { return std::log(v); });
}

template <class T>
void map_tanh(const T* x, std::size_t n, T* y) {
  map(x, n, y, [](Vec<T> v) { return xsimd::tanh(v); }, [](T v) { return std::tanh(v); });
}

// 1 / (1 + e^-x) saturates cleanly: e^-x = inf gives 0, never NaN.
template <class T>
void map_sigmoid(const T* x, std::size_t n, T* y) {
  map(
      x, n, y, [](Vec<T> v) { return Vec<T>(T(1)) / (Vec<T>(T(1)) + xsimd::exp(-v)); },
      [](T v) { return T(1) / (T(1) + std::exp(-v)); });
}

// y[i] = x[i] * a + b from bytes (image pixels into a normalised batch). A plain loop that the
// compiler vectorises for each level: compiled for AVX-512 it converted 64 shuffled MNIST rows in
// 10 µs against 15-19 µs at the x86-64 baseline the library is built for.
template <class T>
void map_bytes_affine(const std::uint8_t* x, std::size_t n, T a, T b, T* y) {
  for (std::size_t i = 0; i < n; ++i) y[i] = static_cast<T>(x[i]) * a + b;
}

}  // namespace tg::kernels::TG_SIMD_ARCH
