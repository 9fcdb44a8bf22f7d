// tg::data::StatelessDataLoader: the batches of a dataset in the order a sampler picks, for a
// range-for loop, as LibTorch's; make_data_loader (data/make_data_loader.hpp) builds one.
//
//   auto loader = tg::data::make_data_loader(std::move(dataset), DataLoaderOptions(64).workers(2));
//   for (int epoch = 0; epoch < 10; ++epoch)
//     for (auto& batch : *loader) { ... }      // each begin() is a new epoch: the sampler is reset
//
// With workers == 0 each batch is loaded in the caller's thread when the loop asks for it. With
// workers > 0, each worker thread holds its own copy of the dataset (as in LibTorch: copies must be
// cheap, or the dataset safe to copy) and loads the batches the caller queued ahead: at most
// max_jobs (default 2 × workers) beyond the one in use, so memory stays bounded. The caller gets
// them in the sampler's order unless enforce_ordering(false). An exception thrown while loading a
// batch is rethrown, as it was thrown (type and message), by the ++ (or begin()) that reaches that
// batch. Leaving a loop early is fine: the next begin() discards the old epoch's batches.
// Destruction stops the workers after the batch each is loading and joins them.
//
// Worker threads have their own tg::generator() (seeded 0, not by the caller's manual_seed): a random
// transform inside a dataset draws the same numbers in every worker. The sampler runs in the caller's
// thread, so the batch order repeats under tg::manual_seed with any number of workers.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <tapegrad/core/array.hpp>
#include <tapegrad/data/dataloader_options.hpp>

namespace tg::data {

template <class Dataset, class Sampler>
class StatelessDataLoader {
 public:
  using BatchType = typename Dataset::BatchType;
  using BatchRequestType = typename Sampler::BatchRequestType;

  // Throws tg::Error when batch_size is 0 or max_jobs is 0.
  StatelessDataLoader(Dataset dataset, Sampler sampler, DataLoaderOptions options)
      : sampler_(std::move(sampler)), options_(std::move(options)) {
    if (options_.batch_size() == 0) throw Error("make_data_loader: expected batch_size >= 1, got 0");
    if (options_.max_jobs() && *options_.max_jobs() == 0)
      throw Error("make_data_loader: expected max_jobs >= 1, got 0");
    if (!options_.max_jobs()) options_.max_jobs(2 * options_.workers());
    if (options_.workers() == 0) {
      main_thread_dataset_.emplace(std::move(dataset));
      return;
    }
    workers_.reserve(options_.workers());
    try {
      for (std::size_t w = 0; w < options_.workers(); ++w)
        workers_.emplace_back([this, copy = dataset]() mutable { work(copy); });
    } catch (...) {  // a thread that cannot start: stop those that did
      join();
      throw;
    }
  }

  StatelessDataLoader(const StatelessDataLoader&) = delete;
  StatelessDataLoader& operator=(const StatelessDataLoader&) = delete;

  ~StatelessDataLoader() { join(); }

  // Stops and joins the workers (after the batch each is loading); the destructor calls it.
  void join() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    jobs_ready_.notify_all();
    for (std::thread& worker : workers_)
      if (worker.joinable()) worker.join();
  }

  const DataLoaderOptions& options() const noexcept { return options_; }

  class Iterator {
   public:
    Iterator(StatelessDataLoader* loader) : loader_(loader) {}
    BatchType& operator*() const { return *loader_->current_; }
    BatchType* operator->() const { return &*loader_->current_; }
    Iterator& operator++() {
      loader_->advance();
      return *this;
    }
    // Only against end(): true while the epoch has a batch.
    bool operator!=(const Iterator&) const { return loader_->current_.has_value(); }
    bool operator==(const Iterator& other) const { return !(*this != other); }

   private:
    StatelessDataLoader* loader_;
  };

  // Starts an epoch (resets the sampler, queues the first batches) and loads its first batch.
  Iterator begin() {
    if (stop_) throw Error("DataLoader: begin() after join()");
    current_.reset();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++epoch_;
      jobs_.clear();
      results_.clear();
    }
    sampler_.reset(std::nullopt);
    issued_ = consumed_ = 0;
    exhausted_ = false;
    if (!workers_.empty())
      while (!exhausted_ && issued_ - consumed_ < *options_.max_jobs()) issue_job();
    advance();
    return Iterator(this);
  }
  Iterator end() { return Iterator(this); }

 private:
  struct Job {
    std::size_t epoch, sequence;
    BatchRequestType request;
  };
  struct Result {
    std::optional<BatchType> batch;
    std::exception_ptr error;
  };

  // The next request of the epoch, or nullopt at its end (or before a short last batch with drop_last).
  std::optional<BatchRequestType> next_request() {
    std::optional<BatchRequestType> request = sampler_.next(options_.batch_size());
    if (request && options_.drop_last() && request->size() < options_.batch_size()) request.reset();
    return request;
  }

  void issue_job() {
    std::optional<BatchRequestType> request = next_request();
    if (!request) {
      exhausted_ = true;
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      jobs_.push_back(Job{epoch_, issued_++, std::move(*request)});
    }
    jobs_ready_.notify_one();
  }

  // Moves to the epoch's next batch (current_ is empty at its end).
  void advance() {
    current_.reset();
    if (workers_.empty()) {
      if (std::optional<BatchRequestType> request = next_request())
        current_.emplace(main_thread_dataset_->get_batch(std::move(*request)));
      return;
    }
    if (consumed_ == issued_) return;  // the sampler is exhausted and every batch was handed out
    Result result = take_result();
    ++consumed_;
    if (!exhausted_) issue_job();
    if (result.error) std::rethrow_exception(result.error);
    current_ = std::move(result.batch);
  }

  // Waits for the next batch's result (any finished one when ordering is not enforced).
  Result take_result() {
    std::unique_lock<std::mutex> lock(mutex_);
    auto ready = [&] {
      return options_.enforce_ordering() ? results_.count(consumed_) > 0 : !results_.empty();
    };
    if (!options_.timeout()) {
      results_ready_.wait(lock, ready);
    } else if (!results_ready_.wait_for(lock, *options_.timeout(), ready)) {
      throw Error("DataLoader: timed out after " + std::to_string(options_.timeout()->count()) +
                  " ms waiting for a batch from the workers");
    }
    auto it = options_.enforce_ordering() ? results_.find(consumed_) : results_.begin();
    Result result = std::move(it->second);
    results_.erase(it);
    return result;
  }

  void work(Dataset& dataset) {
    for (;;) {
      Job job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        jobs_ready_.wait(lock, [&] { return stop_ || !jobs_.empty(); });
        if (stop_) return;
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      Result result;
      try {
        result.batch.emplace(dataset.get_batch(std::move(job.request)));
      } catch (...) {
        result.error = std::current_exception();
      }
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (job.epoch != epoch_) continue;  // an epoch the caller left: nobody waits for it
        results_.emplace(job.sequence, std::move(result));
      }
      results_ready_.notify_all();
    }
  }

  Sampler sampler_;
  DataLoaderOptions options_;
  std::optional<Dataset> main_thread_dataset_;  // workers == 0
  std::optional<BatchType> current_;            // the batch the iterator points at
  // The caller's count of this epoch's jobs queued and results taken; exhausted_: the sampler has
  // no more requests this epoch.
  std::size_t issued_ = 0, consumed_ = 0;
  bool exhausted_ = true;

  // Shared with the workers, under mutex_ (epoch_ is written only by the caller).
  std::mutex mutex_;
  std::condition_variable jobs_ready_, results_ready_;
  std::deque<Job> jobs_;
  std::map<std::size_t, Result> results_;  // by sequence number, this epoch's only
  std::size_t epoch_ = 0;
  bool stop_ = false;
  std::vector<std::thread> workers_;  // last: started once everything above exists
};

}  // namespace tg::data
