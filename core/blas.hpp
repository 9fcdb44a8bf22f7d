// Row-major GEMM for the hot paths (matmul, conv): C = alpha·op(A)·op(B) + beta·C on raw contiguous
// buffers, OpenBLAS underneath. Transposes are flags, never materialised copies. This header keeps
// <cblas.h> (which clashes with xtensor-blas) out of every other file.
#pragma once

#include <cstddef>

namespace tg::blas {

// The kernel set OpenBLAS chose for this CPU at load time ("SkylakeX", "Haswell", ...; a CPU it does
// not know gets its slow "Prescott" set unless OPENBLAS_CORETYPE names one). Benchmarks print it.
const char* core_name();

// How a product large enough to share is split over the pool: into blocks of C's rows, of its
// columns, or along its longer side. A product that reads or writes a parameter (Linear's y = x·Wᵀ
// and dW) splits along the parameter's rows: block t is then the same rows of W as chunk t of the
// optimizer's update and of zero_grad, which the pool gives to the same thread (core/thread_pool.hpp),
// so each thread finds its share of W and of its gradient in its own cache.
enum class Split { Longer, Rows, Columns };

template <class T>
void gemm(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, T alpha, const T* a,
          std::size_t lda, const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc, Split split = Split::Longer);

}  // namespace tg::blas
