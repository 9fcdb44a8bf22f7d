// LibTorch's distributed samplers (torch::data::samplers): each of num_replicas processes (ranks)
// takes its own contiguous share of every epoch's order, ceil(size / num_replicas) indices, with
// the order's first indices repeated at its end to fill the last shares (allow_duplicates), or
// floor(size / num_replicas) indices and the rest left out (allow_duplicates = false).
//
//   for (size_t epoch = 0; epoch < epochs; ++epoch) {
//     samplers::DistributedRandomSampler sampler(dataset.size().value(), world_size, rank);
//     sampler.set_epoch(epoch);
//     auto loader = make_data_loader(dataset, std::move(sampler), DataLoaderOptions(32));
//     for (auto& batch : *loader) ...
//
// DistributedRandomSampler shuffles with a std::mt19937 seeded by the epoch, so every rank draws the
// same permutation (the same one LibTorch's draws, shuffled alike), and every reset() of one epoch
// draws it again. A loader owns its sampler, out of reach (as in LibTorch), hence one loader per
// epoch above. The trainers' tg::data::DistributedSampler (data/distributed_sampler.hpp) shards each
// global batch over the ranks instead, without padding.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include <tapegrad/data/sampler.hpp>

namespace tg::data::samplers {
namespace detail {

// Throws tg::Error unless num_replicas >= 1 and rank < num_replicas.
void check_replicas(std::size_t num_replicas, std::size_t rank);

}  // namespace detail

template <class BatchRequest = std::vector<std::size_t>>
class DistributedSampler : public Sampler<BatchRequest> {
 public:
  // Throws tg::Error when num_replicas is 0 or rank >= num_replicas.
  DistributedSampler(std::size_t size, std::size_t num_replicas = 1, std::size_t rank = 0,
                     bool allow_duplicates = true)
      : size_(size), num_replicas_(num_replicas), rank_(rank), allow_duplicates_(allow_duplicates) {
    detail::check_replicas(num_replicas, rank);
  }

  void set_epoch(std::size_t epoch) { epoch_ = epoch; }
  std::size_t epoch() const { return epoch_; }

 protected:
  // Indices this rank gets per epoch.
  std::size_t local_sample_count() const {
    return allow_duplicates_ ? (size_ + num_replicas_ - 1) / num_replicas_ : size_ / num_replicas_;
  }

  std::size_t size_, num_replicas_, rank_;
  std::size_t epoch_ = 0;
  bool allow_duplicates_;
};

class DistributedRandomSampler : public DistributedSampler<> {
 public:
  DistributedRandomSampler(std::size_t size, std::size_t num_replicas = 1, std::size_t rank = 0,
                           bool allow_duplicates = true);

  // Draws the permutation of the current epoch (over new_size indices when given).
  void reset(std::optional<std::size_t> new_size = std::nullopt) override;
  std::optional<std::vector<std::size_t>> next(std::size_t batch_size) override;
  // "epoch_" and "sample_index_" (0-d int64), LibTorch's keys: load() draws that epoch's permutation
  // again and checks the position is within this rank's share.
  void save(serialize::OutputArchive& archive) const override;
  void load(serialize::InputArchive& archive) override;
  std::size_t index() const noexcept { return next_; }

 private:
  std::vector<std::size_t> order_;  // every rank's shares, this rank's is [begin_, end_)
  std::size_t begin_ = 0, end_ = 0, next_ = 0;
};

class DistributedSequentialSampler : public DistributedSampler<> {
 public:
  DistributedSequentialSampler(std::size_t size, std::size_t num_replicas = 1, std::size_t rank = 0,
                               bool allow_duplicates = true);

  void reset(std::optional<std::size_t> new_size = std::nullopt) override;
  std::optional<std::vector<std::size_t>> next(std::size_t batch_size) override;
  // "sample_index_" (0-d int64), LibTorch's key; load() checks it is within this rank's share.
  void save(serialize::OutputArchive& archive) const override;
  void load(serialize::InputArchive& archive) override;
  std::size_t index() const noexcept { return next_; }

 private:
  std::size_t begin_ = 0, end_ = 0, next_ = 0;  // this rank's positions in 0, 1, ..., wrapping at size
};

}  // namespace tg::data::samplers
