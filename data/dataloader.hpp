// tg::data::DataLoader: mini-batches of a Dataset, reshuffled every epoch, for a range-for loop.
//
//   tg::data::ImageLoaderOptions options;
//   options.batch_size = 128;
//   tg::data::DataLoader loader(mnist.split(tg::data::Split::Train), options);
//   for (int epoch = 0; epoch < 10; ++epoch)
//     for (const tg::data::Batch& batch : loader) { ... net->forward(batch.data) ... batch.target ... }
//
// Each pass (each call to begin()) is one epoch with a new permutation. Only the rows of a batch are
// converted to float, normalised as (pixel - mean) / std, into a fresh batch tensor.
//
// This is the trainers' fast path over raw-byte splits. LibTorch's pipeline (datasets, transforms,
// samplers, make_data_loader with its builder tg::data::DataLoaderOptions) is in
// data/make_data_loader.hpp; hence this loader's options are named ImageLoaderOptions.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <vector>

#include <tapegrad/core/tensor.hpp>
#include <tapegrad/data/dataset.hpp>
#include <tapegrad/data/example.hpp>

namespace tg::data {

struct ImageLoaderOptions {
  std::size_t batch_size = 64;
  bool shuffle = true;
  bool drop_last = false;  // drop the last batch when it is smaller than batch_size
  bool flatten = false;    // x of shape (B, rows*cols) instead of (B, 1, rows, cols)
  // Seeds the loader's own engine; unset, the seed is drawn from tg::generator(), so runs repeat
  // under tg::manual_seed.
  std::optional<std::uint64_t> seed;
};

// What LibTorch's Stack<> makes of a batch of Examples: data (B, 1, rows, cols), or (B, rows*cols)
// with flatten, a normalised Float tensor without grad; target (B,), Long.
using Batch = Example<>;

class DataLoader {
 public:
  // Keeps a reference to `data`, which must outlive the loader. Throws tg::Error when batch_size is
  // 0, std <= 0, or the images and labels disagree with rows, cols and the label count.
  DataLoader(const Dataset& data, ImageLoaderOptions options = {});
  DataLoader(Dataset&&, ImageLoaderOptions = {}) = delete;  // it would dangle

  // Batches per epoch: ceil(N / batch_size), or floor with drop_last.
  std::size_t size() const;
  // Batch i of the current epoch (0 <= i < size()); before the first epoch, in dataset order.
  Batch batch(std::size_t i) const;
  // A batch of the given dataset rows, in that order (a sampler's choice: DistributedSampler).
  Batch batch(const std::vector<std::size_t>& rows) const;
  // Starts a new epoch: draws a new order when shuffling.
  void new_epoch();

  class Iterator {
   public:
    Iterator(const DataLoader* loader, std::size_t index) : loader_(loader), index_(index) {}
    Batch operator*() const { return loader_->batch(index_); }
    Iterator& operator++() { ++index_; return *this; }
    bool operator!=(const Iterator& other) const { return index_ != other.index_; }

   private:
    const DataLoader* loader_;
    std::size_t index_;
  };
  Iterator begin() { new_epoch(); return Iterator(this, 0); }
  Iterator end() const { return Iterator(this, size()); }

 private:
  Batch make_batch(const std::size_t* rows, std::size_t count) const;

  const Dataset& data_;
  ImageLoaderOptions options_;
  std::mt19937_64 engine_;
  std::vector<std::size_t> order_;  // this epoch's row order
  // (pixel - mean) / std as pixel * scale_ + shift_: one vectorised multiply-add per pixel, about
  // 15x faster than a 256-entry lookup table.
  float scale_, shift_;
};

}  // namespace tg::data
