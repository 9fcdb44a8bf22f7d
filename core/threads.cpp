#include <tapegrad/core/threads.hpp>

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <cblas.h>

#include <tapegrad/core/array.hpp>
#include <tapegrad/core/thread_pool.hpp>
#include <tapegrad/core/detail/gemm_threads.hpp>

namespace tg {
namespace {

// The thread count the user asked for (OPENBLAS_NUM_THREADS, or the machine's cores, until set).
std::atomic<int>& requested_threads() {
  static std::atomic<int> n{openblas_get_num_threads()};
  return n;
}

int cores() { return std::max(1, static_cast<int>(std::thread::hardware_concurrency())); }

std::mutex pool_mutex;
std::unique_ptr<ThreadPool>& pool_slot() {
  static std::unique_ptr<ThreadPool> pool;
  return pool;
}

}  // namespace

void set_num_threads(int n) {
  if (n < 1) throw Error("set_num_threads: expected n >= 1, got " + std::to_string(n));
  if (in_parallel_region()) throw Error("set_num_threads: called from inside a parallel_for task");
  requested_threads() = n;
  openblas_set_num_threads(n);
  std::lock_guard<std::mutex> lock(pool_mutex);
  auto& pool = pool_slot();
  if (pool && pool->size() != get_pool_threads()) pool.reset();
}

int get_num_threads() { return requested_threads(); }

int get_pool_threads() { return std::min(requested_threads().load(), cores()); }

ThreadPool& thread_pool() {
  std::lock_guard<std::mutex> lock(pool_mutex);
  auto& pool = pool_slot();
  if (!pool) pool = std::make_unique<ThreadPool>(get_pool_threads());
  return *pool;
}

namespace detail {

// A GEMM smaller than this many multiply-adds runs on one thread: waking the second thread costs
// more than it saves: on two threads the MLP's 64x784x50 products made an epoch about 30% slower
// (build-torch/benchmarks/bench_mnist --threads 2).
constexpr double kParallelGemmWork = 1 << 25;

void before_parallel_region() {
  if (openblas_get_num_threads() != 1) openblas_set_num_threads(1);
}

void use_threads_for_gemm(double multiply_adds) {
  if (in_parallel_region()) return;  // the pool set OpenBLAS to one thread before the region
  const int want = multiply_adds >= kParallelGemmWork ? requested_threads().load() : 1;
  if (openblas_get_num_threads() != want) openblas_set_num_threads(want);
}

}  // namespace detail
}  // namespace tg
