// tg::data::samplers::SequentialSampler: indices 0, 1, ..., size-1 in order, every epoch, as
// LibTorch's.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include <tapegrad/data/sampler.hpp>

namespace tg::data::samplers {

class SequentialSampler : public Sampler<> {
 public:
  explicit SequentialSampler(std::size_t size) : size_(size) {}

  void reset(std::optional<std::size_t> new_size = std::nullopt) override;
  std::optional<std::vector<std::size_t>> next(std::size_t batch_size) override;
  // "index" (0-d int64), LibTorch's key; load() checks it is within this sampler's size.
  void save(serialize::OutputArchive& archive) const override;
  void load(serialize::InputArchive& archive) override;
  // How many indices this epoch has handed out.
  std::size_t index() const noexcept { return index_; }

 private:
  std::size_t size_;
  std::size_t index_ = 0;
};

}  // namespace tg::data::samplers
