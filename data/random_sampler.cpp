#include <tapegrad/data/random_sampler.hpp>

#include <algorithm>
#include <numeric>
#include <string>

#include <tapegrad/core/array.hpp>
#include <tapegrad/core/random.hpp>
#include <tapegrad/core/tensor.hpp>
#include <tapegrad/modules/archive.hpp>

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

void RandomSampler::save(serialize::OutputArchive& archive) const {
  detail::write_index(archive, "index", index_);
  Array<std::int64_t> indices = Array<std::int64_t>::from_shape({indices_.size()});
  std::copy(indices_.begin(), indices_.end(), indices.begin());
  archive.write("indices", Tensor(std::move(indices)));
}

void RandomSampler::load(serialize::InputArchive& archive) {
  Tensor saved;
  archive.read("indices", saved);
  if (saved.scalar_type() != kLong || saved.dim() != 1)
    throw Error("RandomSampler::load: 'indices' must be a 1-D int64 tensor, got a " + std::string(to_string(saved.scalar_type())) +
                " tensor of shape " + shape_str(saved.shape()));
  const Array<std::int64_t>& values = saved.value<std::int64_t>();
  const std::size_t n = values.size();
  std::vector<bool> seen(n, false);
  for (const std::int64_t v : values) {
    if (v < 0 || std::size_t(v) >= n || seen[std::size_t(v)])
      throw Error("RandomSampler::load: 'indices' is not a permutation of 0.." + std::to_string(n) + " - 1 (" +
                  std::to_string(v) + " is out of range or repeated)");
    seen[std::size_t(v)] = true;
  }
  const std::size_t index = detail::read_index(archive, "index", 0, n, "RandomSampler");
  indices_.assign(values.begin(), values.end());
  index_ = index;
}

}  // namespace tg::data::samplers
