#include <tapegrad/data/distributed_sampler.hpp>

#include <algorithm>
#include <numeric>
#include <random>
#include <string>

#include <tapegrad/core/array.hpp>

namespace tg::data {

DistributedSampler::DistributedSampler(std::size_t dataset_size, std::size_t num_replicas, std::size_t rank,
                                       std::size_t batch_size, std::uint64_t seed, bool shuffle)
    : size_(dataset_size), replicas_(num_replicas), rank_(rank), batch_(batch_size), seed_(seed), shuffle_(shuffle) {
  if (num_replicas == 0 || batch_size == 0 || rank >= num_replicas)
    throw Error("DistributedSampler: expected num_replicas >= 1, batch_size >= 1 and rank < num_replicas, got "
                "num_replicas " + std::to_string(num_replicas) + ", batch_size " + std::to_string(batch_size) +
                ", rank " + std::to_string(rank));
  checked_numel({batch_size, num_replicas}, "DistributedSampler");
  set_epoch(0);
}

void DistributedSampler::set_epoch(std::size_t epoch) {
  order_.resize(size_);
  std::iota(order_.begin(), order_.end(), std::size_t{0});
  if (!shuffle_) return;
  std::mt19937_64 engine(seed_ + epoch);
  std::shuffle(order_.begin(), order_.end(), engine);
}

std::size_t DistributedSampler::steps() const {
  const std::size_t global = batch_ * replicas_;
  return (size_ + global - 1) / global;
}

std::size_t DistributedSampler::global_rows(std::size_t step) const {
  if (step >= steps())
    throw Error("DistributedSampler: step " + std::to_string(step) + " is out of range (expected < " +
                std::to_string(steps()) + " steps per epoch)");
  const std::size_t global = batch_ * replicas_;
  return std::min(global, size_ - step * global);
}

std::vector<std::size_t> DistributedSampler::rows(std::size_t step) const {
  const std::size_t n = global_rows(step), start = step * batch_ * replicas_;
  const std::size_t begin = start + n * rank_ / replicas_, end = start + n * (rank_ + 1) / replicas_;
  return std::vector<std::size_t>(order_.begin() + static_cast<std::ptrdiff_t>(begin),
                                  order_.begin() + static_cast<std::ptrdiff_t>(end));
}

}  // namespace tg::data
