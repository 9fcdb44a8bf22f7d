#include <tapegrad/core/threads.hpp>

#include <atomic>
#include <string>

#include <cblas.h>

#include <tapegrad/core/array.hpp>
#include <tapegrad/core/detail/gemm_threads.hpp>

namespace tg {
namespace {

// The thread count the user asked for (OPENBLAS_NUM_THREADS, or the machine's cores, until set).
std::atomic<int>& requested_threads() {
  static std::atomic<int> n{openblas_get_num_threads()};
  return n;
}

}  // namespace

void set_num_threads(int n) {
  if (n < 1) throw Error("set_num_threads: expected n >= 1, got " + std::to_string(n));
  requested_threads() = n;
  openblas_set_num_threads(n);
}

int get_num_threads() { return requested_threads(); }

namespace detail {

// A GEMM smaller than this many multiply-adds runs on one thread: waking the second thread costs
// more than it saves: on two threads the MLP's 64x784x50 products made an epoch about 30% slower
// (build-torch/benchmarks/bench_mnist --threads 2).
constexpr double kParallelGemmWork = 1 << 25;

void use_threads_for_gemm(double multiply_adds) {
  const int want = multiply_adds >= kParallelGemmWork ? requested_threads().load() : 1;
  if (openblas_get_num_threads() != want) openblas_set_num_threads(want);
}

}  // namespace detail
}  // namespace tg
