#include <tapegrad/data/distributed_samplers.hpp>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <random>
#include <string>

#include <tapegrad/core/array.hpp>
#include <tapegrad/modules/archive.hpp>

namespace tg::data::samplers {

void detail::check_replicas(std::size_t num_replicas, std::size_t rank) {
  if (num_replicas == 0 || rank >= num_replicas)
    throw Error("DistributedSampler: expected num_replicas >= 1 and rank < num_replicas, got num_replicas " +
                std::to_string(num_replicas) + " and rank " + std::to_string(rank));
}

namespace {

// Positions [begin, end) of the next batch within [next, end_of_share).
std::optional<std::pair<std::size_t, std::size_t>> next_range(std::size_t& next, std::size_t end_of_share,
                                                              std::size_t batch_size, const char* sampler) {
  if (batch_size == 0) throw Error(std::string(sampler) + "::next: expected batch_size >= 1, got 0");
  if (next >= end_of_share) return std::nullopt;
  const std::size_t begin = next;
  next = std::min(end_of_share, begin + batch_size);
  return std::make_pair(begin, next);
}

}  // namespace

DistributedRandomSampler::DistributedRandomSampler(std::size_t size, std::size_t num_replicas, std::size_t rank,
                                                   bool allow_duplicates)
    : DistributedSampler(size, num_replicas, rank, allow_duplicates) {
  reset();
}

void DistributedRandomSampler::reset(std::optional<std::size_t> new_size) {
  if (new_size) size_ = *new_size;
  const std::size_t local = local_sample_count();
  // All ranks' shares: 0..size-1 cut to local × num_replicas, padded by repeating from 0. One rank
  // alone takes every index, as LibTorch's.
  const std::size_t total = num_replicas_ == 1 ? size_ : local * num_replicas_;
  order_.resize(total);
  for (std::size_t i = 0; i < total; ++i) order_[i] = i < size_ ? i : i - size_;
  std::mt19937 engine(static_cast<std::mt19937::result_type>(epoch_));
  std::shuffle(order_.begin(), order_.end(), engine);
  begin_ = next_ = rank_ * local;
  end_ = begin_ + local;
}

std::optional<std::vector<std::size_t>> DistributedRandomSampler::next(std::size_t batch_size) {
  const auto range = next_range(next_, end_, batch_size, "DistributedRandomSampler");
  if (!range) return std::nullopt;
  return std::vector<std::size_t>(order_.begin() + static_cast<std::ptrdiff_t>(range->first),
                                  order_.begin() + static_cast<std::ptrdiff_t>(range->second));
}

void DistributedRandomSampler::save(serialize::OutputArchive& archive) const {
  detail::write_index(archive, "sample_index_", next_);
  detail::write_index(archive, "epoch_", epoch_);
}

void DistributedRandomSampler::load(serialize::InputArchive& archive) {
  const std::size_t epoch = detail::read_index(archive, "epoch_", 0, SIZE_MAX, "DistributedRandomSampler");
  // This rank's share is [begin_, end_) in every epoch: check the position before changing anything.
  const std::size_t next = detail::read_index(archive, "sample_index_", begin_, end_, "DistributedRandomSampler");
  epoch_ = epoch;
  reset();
  next_ = next;
}

DistributedSequentialSampler::DistributedSequentialSampler(std::size_t size, std::size_t num_replicas,
                                                           std::size_t rank, bool allow_duplicates)
    : DistributedSampler(size, num_replicas, rank, allow_duplicates) {
  reset();
}

void DistributedSequentialSampler::reset(std::optional<std::size_t> new_size) {
  if (new_size) size_ = *new_size;
  begin_ = next_ = rank_ * local_sample_count();
  end_ = begin_ + local_sample_count();
}

std::optional<std::vector<std::size_t>> DistributedSequentialSampler::next(std::size_t batch_size) {
  const auto range = next_range(next_, end_, batch_size, "DistributedSequentialSampler");
  if (!range) return std::nullopt;
  std::vector<std::size_t> batch(range->second - range->first);
  std::iota(batch.begin(), batch.end(), range->first);
  for (std::size_t& i : batch) i %= size_;  // past the end: the padding repeats from 0
  return batch;
}

void DistributedSequentialSampler::save(serialize::OutputArchive& archive) const {
  detail::write_index(archive, "sample_index_", next_);
}

void DistributedSequentialSampler::load(serialize::InputArchive& archive) {
  next_ = detail::read_index(archive, "sample_index_", begin_, end_, "DistributedSequentialSampler");
}

}  // namespace tg::data::samplers
