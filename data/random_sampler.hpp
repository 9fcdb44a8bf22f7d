// tg::data::samplers::RandomSampler: a new permutation of 0..size-1 every epoch, as LibTorch's. The
// permutation is drawn from tg::generator() of the thread that calls reset() (the data loader's
// caller, at the start of every epoch), so runs repeat under tg::manual_seed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include <tapegrad/data/sampler.hpp>

namespace tg::data::samplers {

class RandomSampler : public Sampler<> {
 public:
  // Throws tg::Error when size < 0.
  explicit RandomSampler(std::int64_t size);

  void reset(std::optional<std::size_t> new_size = std::nullopt) override;
  std::optional<std::vector<std::size_t>> next(std::size_t batch_size) override;
  // "index" (0-d int64) and "indices" (this epoch's permutation, int64), LibTorch's keys. load() takes
  // the saved permutation whole (its size included) and checks it is one.
  void save(serialize::OutputArchive& archive) const override;
  void load(serialize::InputArchive& archive) override;
  std::size_t index() const noexcept { return index_; }

 private:
  std::vector<std::size_t> indices_;  // this epoch's permutation
  std::size_t index_ = 0;
};

}  // namespace tg::data::samplers
