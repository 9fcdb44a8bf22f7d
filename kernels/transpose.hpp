// A strided matrix transpose, in 8x8 blocks of AVX shuffles for float in the copies compiled with
// AVX (the AVX2 and AVX-512 levels), element by element otherwise. conv2d changes layout between its
// channels-last tiles and NCHW tensors through it; element by element that ran at one a cycle.
#pragma once

#include <cstddef>

#ifdef __AVX__
#include <immintrin.h>
#endif

namespace tg::kernels::TG_SIMD_ARCH {

// dst[j*dst_stride + i] = src[i*src_stride + j] for i < rows, j < cols.
template <class T>
void transpose_elements(const T* src, std::size_t rows, std::size_t cols, std::size_t src_stride, T* dst,
                        std::size_t dst_stride) {
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < cols; ++j) dst[j * dst_stride + i] = src[i * src_stride + j];
}

template <class T>
void transpose(const T* src, std::size_t rows, std::size_t cols, std::size_t src_stride, T* dst,
               std::size_t dst_stride) {
  transpose_elements(src, rows, cols, src_stride, dst, dst_stride);
}

#ifdef __AVX__
inline void transpose8x8(const float* src, std::size_t src_stride, float* dst, std::size_t dst_stride) {
  __m256 r[8], t[8];
  for (int i = 0; i < 8; ++i) r[i] = _mm256_loadu_ps(src + i * src_stride);
  for (int i = 0; i < 8; i += 2) {  // interleave row pairs, within each 128-bit half
    t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
    t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
  }
  for (int i = 0; i < 8; i += 4) {  // then pairs of pairs: each half now holds 4x4 transposed blocks
    r[i] = _mm256_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(1, 0, 1, 0));
    r[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(3, 2, 3, 2));
    r[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(1, 0, 1, 0));
    r[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(3, 2, 3, 2));
  }
  for (int i = 0; i < 4; ++i) {  // and the halves swapped across the two groups of rows
    _mm256_storeu_ps(dst + i * dst_stride, _mm256_permute2f128_ps(r[i], r[i + 4], 0x20));
    _mm256_storeu_ps(dst + (i + 4) * dst_stride, _mm256_permute2f128_ps(r[i], r[i + 4], 0x31));
  }
}

template <>
inline void transpose<float>(const float* src, std::size_t rows, std::size_t cols, std::size_t src_stride, float* dst,
                             std::size_t dst_stride) {
  if (rows == 0 || cols == 0) return;  // (an empty matrix may have no storage to offset into)
  const std::size_t rows8 = rows / 8 * 8, cols8 = cols / 8 * 8;
  for (std::size_t i = 0; i < rows8; i += 8)
    for (std::size_t j = 0; j < cols8; j += 8) transpose8x8(src + i * src_stride + j, src_stride, dst + j * dst_stride + i, dst_stride);
  // The ragged right columns and bottom rows, element by element.
  transpose_elements(src + cols8, rows8, cols - cols8, src_stride, dst + cols8 * dst_stride, dst_stride);
  transpose_elements(src + rows8 * src_stride, rows - rows8, cols, src_stride, dst + rows8, dst_stride);
}
#endif

}  // namespace tg::kernels::TG_SIMD_ARCH
