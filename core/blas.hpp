// Row-major GEMM for the hot paths (Linear, matmul): C = alpha·op(A)·op(B) + beta·C on raw contiguous
// buffers. Transposes are flags, never materialised copies. Products up to 2^26 multiply-adds run on
// tapegrad's own kernel (kernels/gemm.hpp), larger ones on OpenBLAS, whose cache blocking wins there
// (docs/performance.md, Own GEMM). This header keeps <cblas.h> (which clashes with xtensor-blas) out
// of every other file.
#pragma once

#include <cstddef>

namespace tg::blas {

// The kernel set OpenBLAS chose for this CPU at load time ("SkylakeX", "Haswell", ...; a CPU it does
// not know gets its slow "Prescott" set unless OPENBLAS_CORETYPE names one). Benchmarks print it.
const char* core_name();

// How a large product is split over the pool: into blocks of C's rows, of its columns, or (Auto) along
// the longer side. Linear splits along its weight's rows, so that each thread computes, and the
// optimizer's chunk on that thread updates, the same rows of the weight (core/thread_pool.hpp).
enum class Split { Auto, Rows, Columns };

template <class T>
void gemm(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, T alpha, const T* a,
          std::size_t lda, const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc, Split split = Split::Auto);

}  // namespace tg::blas
