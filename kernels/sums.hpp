// The two sums every reduction runs on: row_sum adds the values of one contiguous row; column_sums
// adds the rows of a row-major (rows, cols) block, giving one sum per column. Behind sum and mean
// (ops/reduce.cpp), a broadcast gradient summed back to its shape (core/tape.cpp), bias gradients
// (linear, conv2d) and log_softmax's backward.
//
// Both sum pairwise: a long row (or many rows) is split in halves until the pieces are short, so the
// rounding error grows with log(n) rather than n. Summed one after another, 2^28 float ones stop
// counting at 2^24 per accumulator; pairwise, their sum is exact. Short inputs (every sum of a
// 64-row batch) take the direct loop alone.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include <tapegrad/kernels/simd.hpp>

namespace tg::kernels::TG_SIMD_ARCH {

// Rows of up to this many values, and blocks of up to this many rows, are summed directly.
constexpr std::size_t kDirectSumLength = 1024;
constexpr std::size_t kDirectSumRows = 128;

// sum of x[0..n). Four vector accumulators: one would be a serial chain of adds, bound by the add
// latency rather than by loads.
template <class T>
T row_sum(const T* x, std::size_t n) {
  constexpr std::size_t W = kLanes<T>;
  if (n > kDirectSumLength) {
    const std::size_t half = n / 2 / W * W;
    return row_sum(x, half) + row_sum(x + half, n - half);
  }
  Vec<T> a0(T(0)), a1(T(0)), a2(T(0)), a3(T(0));
  std::size_t k = 0;
  for (; k + 4 * W <= n; k += 4 * W) {
    a0 += Vec<T>::load_unaligned(x + k);
    a1 += Vec<T>::load_unaligned(x + k + W);
    a2 += Vec<T>::load_unaligned(x + k + 2 * W);
    a3 += Vec<T>::load_unaligned(x + k + 3 * W);
  }
  for (; k + W <= n; k += W) a0 += Vec<T>::load_unaligned(x + k);
  T s = xsimd::hadd((a0 + a1) + (a2 + a3));
  for (; k < n; ++k) s += x[k];
  return s;
}

// out[j] (+)= sum over i of src[i*cols + j] for a row-major (rows, cols) block; `fresh` overwrites
// out. Whole rows are added, so the inner loop vectorises along the columns.
template <class T>
void column_sums(const T* src, std::size_t rows, std::size_t cols, T* out, bool fresh) {
  if (cols == 1) {
    const T s = row_sum(src, rows);
    out[0] = fresh ? s : out[0] + s;
    return;
  }
  if (rows > kDirectSumRows) {
    const std::size_t half = rows / 2;
    column_sums(src, half, cols, out, fresh);
    std::vector<T> rest(cols);
    column_sums(src + half * cols, rows - half, cols, rest.data(), /*fresh=*/true);
    for (std::size_t j = 0; j < cols; ++j) out[j] += rest[j];
    return;
  }
  if (fresh) std::fill(out, out + cols, T(0));
  for (std::size_t i = 0; i < rows; ++i, src += cols)
    for (std::size_t j = 0; j < cols; ++j) out[j] += src[j];
}

}  // namespace tg::kernels::TG_SIMD_ARCH
