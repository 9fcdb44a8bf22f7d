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

namespace tg {
namespace {

// The thread count the user asked for (OPENBLAS_NUM_THREADS, or the machine's cores, until set).
std::atomic<int>& requested_threads() {
  static std::atomic<int> n{openblas_get_num_threads()};
  return n;
}

// Read once: glibc answers hardware_concurrency() by opening /sys/devices/system/cpu/online, and every
// GEMM and parallel_for asks (get_pool_threads): kernel and libc time were 15% and 8% of a 1-thread
// MNIST MLP run's perf samples, 0.8% and 3.7% after.
int cores() {
  static const int n = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  return n;
}

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
  set_chunking(true);  // a choice measured on the old pool does not hold for the new one
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

}  // namespace tg
