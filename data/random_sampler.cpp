#include <tapegrad/data/random_sampler.hpp>

#include <algorithm>
#include <numeric>
#include <string>

#include <tapegrad/core/array.hpp>
#include <tapegrad/core/random.hpp>

namespace tg::data::samplers {

RandomSampler::RandomSampler(std::int64_t size) {
  if (size < 0) throw Error("RandomSampler: expected size >= 0, got " + std::to_string(size));
  reset(static_cast<std::size_t>(size));
}

void RandomSampler::reset(std::optional<std::size_t> new_size) {
  indices_.resize(new_size ? *new_size : indices_.size());
  std::iota(indices_.begin(), indices_.end(), std::size_t{0});
  std::shuffle(indices_.begin(), indices_.end(), generator());
  index_ = 0;
}

std::optional<std::vector<std::size_t>> RandomSampler::next(std::size_t batch_size) {
  if (batch_size == 0) throw Error("RandomSampler::next: expected batch_size >= 1, got 0");
  if (index_ >= indices_.size()) return std::nullopt;
  const std::size_t n = std::min(batch_size, indices_.size() - index_);
  const auto first = indices_.begin() + static_cast<std::ptrdiff_t>(index_);
  index_ += n;
  return std::vector<std::size_t>(first, first + static_cast<std::ptrdiff_t>(n));
}

}  // namespace tg::data::samplers
