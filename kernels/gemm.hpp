// Row-major GEMM on conv2d's register-tiled micro-kernel (kernels/conv2d_tiles.hpp), for the small
// products of Linear and matmul: C (m, n) = alpha·op(A)·op(B) + beta·C, op(A) (m, k), op(B) (k, n).
// A is (m, k), or (k, m) when trans_a; B is (k, n), or (n, k) when trans_b. A·Bᵀ runs as dot
// products along k; the others broadcast op(A)'s elements against vectors of op(B)'s rows, packing B
// only where those are not whole vectors. Nothing is packed for the MNIST MLP's products, which ran
// 3-5x faster than OpenBLAS's sgemm here (docs/performance.md, Own GEMM).
// With beta = 0, C is only written (it may hold anything, NaN included).
#pragma once

#include <cstddef>

#include <tapegrad/kernels/simd.hpp>

namespace tg::kernels::TG_SIMD_ARCH {

template <class T>
void gemm(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, T alpha, const T* a,
          std::size_t lda, const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc);

}  // namespace tg::kernels::TG_SIMD_ARCH
