// Row-major GEMM for the hot paths (matmul, conv): C = alpha·op(A)·op(B) + beta·C on raw contiguous
// buffers, OpenBLAS underneath. Transposes are flags, never materialised copies. This header keeps
// <cblas.h> (which clashes with xtensor-blas) out of every other file.
#pragma once

#include <cstddef>

namespace tg::blas {

// The kernel set OpenBLAS chose for this CPU at load time ("SkylakeX", "Haswell", ...; a CPU it does
// not know gets its slow "Prescott" set unless OPENBLAS_CORETYPE names one). Benchmarks print it.
const char* core_name();

template <class T>
void gemm(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, T alpha, const T* a,
          std::size_t lda, const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc);

}  // namespace tg::blas
