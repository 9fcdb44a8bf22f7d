// Internal: the row-add reduction behind every sum over leading rows: a broadcast gradient summed
// back to its shape (core/tape.cpp), sum over a dim (ops/reduce.cpp), bias gradients (linear, conv2d).
#pragma once

#include <algorithm>
#include <cstddef>

namespace tg::detail {

// out[j] (+)= sum_i src[i*cols + j] for a row-major (rows, cols) block; `fresh` overwrites out. Whole
// rows are added, so the loop vectorises (a per-row scalar sum would be bound by the add latency).
template <class T>
void sum_rows(const T* src, std::size_t rows, std::size_t cols, T* out, bool fresh) {
  if (fresh) std::fill(out, out + cols, T(0));
  for (std::size_t i = 0; i < rows; ++i, src += cols)
    for (std::size_t j = 0; j < cols; ++j) out[j] += src[j];
}

}  // namespace tg::detail
