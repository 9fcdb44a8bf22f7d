// tg::ThreadPool: tapegrad's one pool of worker threads, and parallel_for over it.
//
//   tg::set_num_threads(2);                                    // sizes the process's pool
//   tg::parallel_for(4, [&](std::size_t i) { work(i); });      // i = 0..3 over the pool's threads
//
// The calling thread runs tasks too, so a pool of n threads starts n - 1 workers. A training step
// takes ~150 us (the MNIST MLP), so waking a sleeping thread (~50 us through a condition variable)
// would eat the gain: an idle worker spins for a short while (kSpin) before it sleeps. Inside a
// parallel region every GEMM runs on one OpenBLAS thread, so OpenBLAS's threads never compete with
// the pool's (README, Threads).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

namespace tg {

class ThreadPool {
 public:
  // A pool of `threads` threads, the caller included (threads >= 1).
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const;
  // Runs fn(i) for every i in [0, n), spread over the pool's threads (the caller's included), and
  // returns when all have finished. Task i goes first to thread i % size() (the caller is thread 0),
  // so that the same task of every call finds its data in the same core's cache; a thread done with
  // its own tasks takes the others' that are still unclaimed. If tasks throw, the first exception is
  // rethrown here after every task has ended. Called from inside a task it runs the tasks serially
  // on the calling thread.
  void parallel_for(std::size_t n, const std::function<void(std::size_t)>& fn);

 private:
  struct State;
  State* state_;
};

// The process's pool, sized by set_num_threads (core/threads.hpp).
ThreadPool& thread_pool();
// parallel_for on the process's pool.
void parallel_for(std::size_t n, const std::function<void(std::size_t)>& fn);
// The fewest elements of elementwise work (an optimizer's update, zero_grad, a sum of gradients)
// worth a pool thread's chunk (measured: docs/performance.md, Threads). Chunk c of a parameter goes to
// thread c at every step, so it stays in that core's cache between the backward and the update.
constexpr std::int64_t kElementwiseGrain = 8192;
// ATen's at::parallel_for: f(b, e) over consecutive chunks [b, e) covering [begin, end), at most one
// chunk per pool thread and none shorter than grain_size (so a range under 2 * grain_size, a call
// from inside a task, or a call while chunking is off runs as one f(begin, end) on the calling thread).
void parallel_for(std::int64_t begin, std::int64_t end, std::int64_t grain_size,
                  const std::function<void(std::int64_t, std::int64_t)>& f);
// Whether that parallel_for splits into chunks at all (on by default). data_parallel_backward turns
// it off while its measured choice for the model is a step on one thread, and on again otherwise:
// the optimizer's update, zero_grad and the next batch's conversion then stay on the core that holds
// the weights and gradients, where chunks of them would be read from the other core's cache.
// set_num_threads turns it on again.
void set_chunking(bool on);
bool chunking();
// Whether the calling thread is running a parallel_for task.
bool in_parallel_region();

}  // namespace tg
