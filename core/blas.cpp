#include <tapegrad/core/blas.hpp>

#include <algorithm>

#include <cblas.h>

#include <tapegrad/core/thread_pool.hpp>
#include <tapegrad/core/threads.hpp>
#include <tapegrad/kernels/dispatch.hpp>

namespace tg {
namespace blas {
namespace {

// A product of fewer multiply-adds runs on the calling thread. Measured for (m x 784) @ (784 x 50)
// on 2 threads (docs/performance.md, Threads): m = 16 (0.6M) gained nothing, m = 32 (1.3M) 1.26x.
constexpr double kSplitWork = 1 << 20;
// Up to this many multiply-adds the own kernel (no cache blocking) ran about as fast as OpenBLAS's best
// kernels for this CPU or faster; at 512³ (2^27) it ran 0.68x-1.04x of them, at 1024³ 0.35x
// (docs/performance.md, Own GEMM).
constexpr double kOwnKernelWork = 1 << 26;

void cblas_gemm(bool ta, bool tb, int m, int n, int k, float alpha, const float* a, int lda, const float* b,
                int ldb, float beta, float* c, int ldc) {
  cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k, alpha, a,
              lda, b, ldb, beta, c, ldc);
}

void cblas_gemm(bool ta, bool tb, int m, int n, int k, double alpha, const double* a, int lda, const double* b,
                int ldb, double beta, double* c, int ldc) {
  cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k, alpha, a,
              lda, b, ldb, beta, c, ldc);
}

template <class T>
void gemm_on_one_thread(bool own_kernel, bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, T alpha,
                        const T* a, std::size_t lda, const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc) {
  if (own_kernel)
    kernels::gemm<T>(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  else
    cblas_gemm(ta, tb, int(m), int(n), int(k), alpha, a, int(lda), b, int(ldb), beta, c, int(ldc));
}

}  // namespace

const char* core_name() { return openblas_get_corename(); }

// OpenBLAS always runs on one thread: a large product is split into blocks of C's rows or columns over
// tapegrad's own pool, so the process has one pool and OpenBLAS's threads (which spin with
// sched_yield after each parallel call) never take a core from it.
template <class T>
void gemm(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, T alpha, const T* a, std::size_t lda,
          const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc, Split how) {
  const double work = double(m) * double(n) * double(k);
  const bool own_kernel = work <= kOwnKernelWork;
  if (!own_kernel && openblas_get_num_threads() != 1) openblas_set_num_threads(1);
  const std::size_t threads = static_cast<std::size_t>(get_pool_threads());
  const bool split = threads > 1 && !in_parallel_region() && work >= kSplitWork;
  if (!split) {
    gemm_on_one_thread(own_kernel, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    return;
  }
  const bool by_rows = how == Split::Auto ? m >= n : how == Split::Rows;
  const std::size_t extent = by_rows ? m : n, tasks = std::min(threads, extent);
  parallel_for(tasks, [&](std::size_t t) {
    const std::size_t begin = extent * t / tasks, end = extent * (t + 1) / tasks;
    if (by_rows) {  // rows [begin, end) of op(A) and C
      const T* a_block = ta ? a + begin : a + begin * lda;
      gemm_on_one_thread(own_kernel, ta, tb, end - begin, n, k, alpha, a_block, lda, b, ldb, beta, c + begin * ldc,
                         ldc);
    } else {  // columns [begin, end) of op(B) and C
      const T* b_block = tb ? b + begin * ldb : b + begin;
      gemm_on_one_thread(own_kernel, ta, tb, m, end - begin, k, alpha, a, lda, b_block, ldb, beta, c + begin, ldc);
    }
  });
}

template void gemm<float>(bool, bool, std::size_t, std::size_t, std::size_t, float, const float*, std::size_t,
                          const float*, std::size_t, float, float*, std::size_t, Split);
template void gemm<double>(bool, bool, std::size_t, std::size_t, std::size_t, double, const double*, std::size_t,
                           const double*, std::size_t, double, double*, std::size_t, Split);

}  // namespace blas
}  // namespace tg
