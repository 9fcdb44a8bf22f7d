#include <tapegrad/data/sequential_sampler.hpp>

#include <algorithm>
#include <numeric>
#include <string>

#include <tapegrad/core/array.hpp>

namespace tg::data::samplers {

void SequentialSampler::reset(std::optional<std::size_t> new_size) {
  if (new_size) size_ = *new_size;
  index_ = 0;
}

std::optional<std::vector<std::size_t>> SequentialSampler::next(std::size_t batch_size) {
  if (batch_size == 0) throw Error("SequentialSampler::next: expected batch_size >= 1, got 0");
  if (index_ >= size_) return std::nullopt;
  std::vector<std::size_t> batch(std::min(batch_size, size_ - index_));
  std::iota(batch.begin(), batch.end(), index_);
  index_ += batch.size();
  return batch;
}

void SequentialSampler::save(serialize::OutputArchive& archive) const { detail::write_index(archive, "index", index_); }

void SequentialSampler::load(serialize::InputArchive& archive) {
  index_ = detail::read_index(archive, "index", 0, size_, "SequentialSampler");
}

}  // namespace tg::data::samplers
