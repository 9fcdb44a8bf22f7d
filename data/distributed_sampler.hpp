// tg::data::DistributedSampler: each epoch's shuffled order, sharded over the ranks of a
// data-parallel job so that every sample is seen exactly once per epoch.
//
//   tg::data::DistributedSampler sampler(train.size(), world_size, rank, /*batch_size=*/32, seed);
//   for (std::size_t epoch = 0; epoch < epochs; ++epoch) {
//     sampler.set_epoch(epoch);
//     for (std::size_t step = 0; step < sampler.steps(); ++step) {
//       tg::data::Batch b = loader.batch(sampler.rows(step));   // this rank's rows of the step
//       ...
//
// Every rank draws the same permutation (from seed and epoch, as PyTorch's DistributedSampler), cut
// into global batches of batch_size × num_replicas rows; rank r takes the r-th share of each. Every
// rank runs the same number of steps, so collective calls line up; the last global batch may be
// short, and is then split as evenly as it goes (a rank may get no row). Unlike PyTorch's sampler,
// nothing is padded or dropped: with 2 ranks of 32 the steps are exactly the steps of one process
// with batch 64 drawing the same permutation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tg::data {

class DistributedSampler {
 public:
  // Throws tg::Error when num_replicas or batch_size is 0 or rank >= num_replicas.
  DistributedSampler(std::size_t dataset_size, std::size_t num_replicas, std::size_t rank, std::size_t batch_size,
                     std::uint64_t seed, bool shuffle = true);

  // Draws the permutation of this epoch (the same on every rank).
  void set_epoch(std::size_t epoch);
  // Steps per epoch: ceil(dataset_size / (batch_size × num_replicas)), the same on every rank.
  std::size_t steps() const;
  // This rank's dataset rows at step i of the epoch.
  std::vector<std::size_t> rows(std::size_t step) const;
  // Rows of step i over all ranks (batch_size × num_replicas except, perhaps, at the last step).
  std::size_t global_rows(std::size_t step) const;

  std::size_t num_replicas() const { return replicas_; }
  std::size_t rank() const { return rank_; }

 private:
  std::size_t size_, replicas_, rank_, batch_;
  std::uint64_t seed_;
  bool shuffle_;
  std::vector<std::size_t> order_;
};

}  // namespace tg::data
