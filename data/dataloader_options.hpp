// tg::data::DataLoaderOptions: the options of make_data_loader, a builder as LibTorch's:
//
//   tg::data::DataLoaderOptions().batch_size(64).workers(2).drop_last(true)
//
// A bare number converts to the options with that batch size (make_data_loader(dataset, 64)).
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>

#include <tapegrad/core/arg.hpp>

namespace tg::data {

struct DataLoaderOptions {
  DataLoaderOptions() = default;
  /* implicit */ DataLoaderOptions(std::size_t batch_size) : batch_size_(batch_size) {}

  // Examples per batch.
  TG_ARG(std::size_t, batch_size) = 1;
  // Threads that prefetch batches; 0 loads each batch in the caller's thread when it is asked for.
  TG_ARG(std::size_t, workers) = 0;
  // Most batches requested ahead of the one being used (default: 2 × workers).
  TG_ARG(std::optional<std::size_t>, max_jobs);
  // How long the caller waits for a worker's batch before a tg::Error (default: forever).
  TG_ARG(std::optional<std::chrono::milliseconds>, timeout);
  // Batches in the sampler's order (else in whichever order the workers finish them).
  TG_ARG(bool, enforce_ordering) = true;
  // Drops the last batch of an epoch when it is shorter than batch_size.
  TG_ARG(bool, drop_last) = false;
};

}  // namespace tg::data
