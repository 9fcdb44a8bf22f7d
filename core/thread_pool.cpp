#include <tapegrad/core/thread_pool.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <immintrin.h>

#include <tapegrad/core/array.hpp>
#include <tapegrad/core/threads.hpp>

namespace tg {
namespace {

// How long an idle worker (or the caller waiting for the workers) spins before it sleeps. Longer
// than the gap between two training steps on the main thread (optimizer step, next batch: ~30 us
// for the MLP), short enough that a worker left idle gives its core back soon.
constexpr auto kSpin = std::chrono::microseconds(200);

thread_local bool t_in_region = false;
std::atomic<bool> g_chunking{true};

// Marks the thread as running a task; restores the mark it had (a nested call runs inside a task).
struct RegionFlag {
  bool outer = t_in_region;
  RegionFlag() { t_in_region = true; }
  ~RegionFlag() { t_in_region = outer; }
};

// Spins until done() or kSpin has passed; returns done().
template <class Done>
bool spin_until(Done done) {
  const auto until = std::chrono::steady_clock::now() + kSpin;
  for (unsigned k = 1;; ++k) {
    if (done()) return true;
    _mm_pause();
    if (k % 64 == 0 && std::chrono::steady_clock::now() > until) return done();
  }
}

}  // namespace

// One parallel_for call. Task i belongs first to pool thread i % threads (the caller is thread 0),
// so that a thread gets the same slice of the same buffers at every step and finds them in its own
// cache: a parameter's chunk of the update, of the gradient sum and of a split GEMM's output. A thread
// that has run its own tasks takes what is left of the others', so the caller never waits for a
// worker the OS has not scheduled yet (on a busy machine it runs the late worker's share itself).
struct Job {
  const std::function<void(std::size_t)>* fn;
  std::size_t n, threads;
  std::unique_ptr<std::atomic<std::size_t>[]> next;  // per thread: how many of its tasks are claimed
  std::atomic<std::size_t> done{0};
  std::mutex error_mutex;
  std::exception_ptr error;

  Job(const std::function<void(std::size_t)>& f, std::size_t count, std::size_t pool_threads)
      : fn(&f), n(count), threads(pool_threads), next(new std::atomic<std::size_t>[pool_threads]) {
    for (std::size_t t = 0; t < threads; ++t) next[t].store(0, std::memory_order_relaxed);
  }

  // Runs thread `self`'s tasks, then any left of the others'; returns whether it finished the last one.
  bool run(std::size_t self) {
    RegionFlag region;
    std::size_t finished = 0;
    for (std::size_t k = 0; k < threads; ++k) {
      const std::size_t owner = (self + k) % threads;
      for (std::size_t j; (j = owner + threads * next[owner].fetch_add(1, std::memory_order_relaxed)) < n; ++finished) {
        try {
          (*fn)(j);
        } catch (...) {
          std::lock_guard<std::mutex> lock(error_mutex);
          if (!error) error = std::current_exception();
        }
      }
    }
    return finished > 0 && done.fetch_add(finished, std::memory_order_acq_rel) + finished == n;
  }
  bool finished() const { return done.load(std::memory_order_acquire) == n; }
};

struct ThreadPool::State {
  std::vector<std::thread> workers;
  std::mutex mutex;
  std::condition_variable wake, done;
  std::atomic<std::uint64_t> generation{0};
  bool stop = false;         // under mutex
  std::shared_ptr<Job> job;  // the latest job, under mutex

  void worker_loop(std::size_t self) {
    std::uint64_t seen = 0;
    for (;;) {
      std::shared_ptr<Job> current;
      if (!spin_until([&] { return generation.load(std::memory_order_acquire) != seen; })) {
        std::unique_lock<std::mutex> lock(mutex);
        wake.wait(lock, [&] { return stop || generation.load(std::memory_order_acquire) != seen; });
        if (stop) return;
      }
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (stop) return;
        seen = generation.load(std::memory_order_acquire);
        current = job;
      }
      if (current->run(self)) {
        std::lock_guard<std::mutex> lock(mutex);  // pairs with the caller's wait
        done.notify_all();
      }
    }
  }
};

ThreadPool::ThreadPool(int threads) : state_(new State) {
  if (threads < 1) {
    delete state_;
    throw Error("ThreadPool: expected threads >= 1, got " + std::to_string(threads));
  }
  for (int t = 1; t < threads; ++t)
    state_->workers.emplace_back([s = state_, t] { s->worker_loop(static_cast<std::size_t>(t)); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->stop = true;
  }
  state_->wake.notify_all();
  for (auto& w : state_->workers) w.join();
  delete state_;
}

int ThreadPool::size() const { return static_cast<int>(state_->workers.size()) + 1; }

void ThreadPool::parallel_for(std::size_t n, const std::function<void(std::size_t)>& fn) {
  State& s = *state_;
  if (n == 0) return;
  if (s.workers.empty() || n == 1 || t_in_region) {
    RegionFlag region;
    for (std::size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  auto job = std::make_shared<Job>(fn, n, s.workers.size() + 1);
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    s.job = job;
    s.generation.fetch_add(1, std::memory_order_release);
  }
  s.wake.notify_all();
  job->run(0);
  if (!spin_until([&] { return job->finished(); })) {
    std::unique_lock<std::mutex> lock(s.mutex);
    s.done.wait(lock, [&] { return job->finished(); });
  }
  if (job->error) std::rethrow_exception(job->error);
}

void parallel_for(std::int64_t begin, std::int64_t end, std::int64_t grain_size,
                  const std::function<void(std::int64_t, std::int64_t)>& f) {
  if (grain_size < 1) throw Error("parallel_for: expected grain_size >= 1, got " + std::to_string(grain_size));
  if (begin >= end) return;
  const std::int64_t n = end - begin;
  ThreadPool& pool = thread_pool();
  const std::int64_t chunks =
      t_in_region || !chunking() ? 1 : std::min<std::int64_t>(pool.size(), std::max<std::int64_t>(1, n / grain_size));
  if (chunks == 1) {
    RegionFlag region;
    f(begin, end);
    return;
  }
  pool.parallel_for(static_cast<std::size_t>(chunks), [&](std::size_t i) {
    // Chunk c starts at c * (n / chunks) + min(c, n % chunks): the first n % chunks are one longer.
    const auto c = static_cast<std::int64_t>(i), q = n / chunks, r = n % chunks;
    const std::int64_t b = begin + c * q + std::min(c, r);
    f(b, b + q + (c < r ? 1 : 0));
  });
}

bool in_parallel_region() { return t_in_region; }

void set_chunking(bool on) { g_chunking.store(on, std::memory_order_relaxed); }
bool chunking() { return g_chunking.load(std::memory_order_relaxed); }

void parallel_for(std::size_t n, const std::function<void(std::size_t)>& fn) { thread_pool().parallel_for(n, fn); }

}  // namespace tg
