// tg::data::samplers::Sampler: which indices make the next batch, as LibTorch's samplers::Sampler.
// A data loader calls reset() at the start of every epoch, then next(batch_size) until it returns
// nullopt; the last batch may be shorter than batch_size. save() and load() write and read where the
// sampler is in its epoch, under LibTorch's keys, so a resumed run continues the same order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tg::serialize {
class OutputArchive;
class InputArchive;
}  // namespace tg::serialize

namespace tg::data::samplers {
namespace detail {

// A position or count as the 0-d Long tensor LibTorch's samplers write.
void write_index(serialize::OutputArchive& archive, const char* key, std::size_t value);
// The 0-d Long (or one-element) tensor under `key`, checked to be in [low, high]; throws tg::Error
// naming the sampler, the key and the range.
std::size_t read_index(const serialize::InputArchive& archive, const char* key, std::size_t low, std::size_t high,
                       const char* sampler);

}  // namespace detail

template <class BatchRequest = std::vector<std::size_t>>
class Sampler {
 public:
  using BatchRequestType = BatchRequest;

  virtual ~Sampler() = default;

  // Starts a new epoch, over `new_size` indices when given (else the size it had).
  virtual void reset(std::optional<std::size_t> new_size) = 0;
  // The next batch_size (or fewer, at the end) indices, or nullopt when the epoch is over.
  virtual std::optional<BatchRequest> next(std::size_t batch_size) = 0;
  virtual void save(serialize::OutputArchive& archive) const = 0;
  // Throws tg::Error, leaving the sampler as it was, when the archive's state does not fit it.
  virtual void load(serialize::InputArchive& archive) = 0;
};

}  // namespace tg::data::samplers

namespace tg {

// torch::save(sampler, path) and torch::load(sampler, path): the sampler's state in an .npz file,
// through sampler.save(archive) and sampler.load(archive).
void save(const data::samplers::Sampler<>& sampler, const std::string& path);
void load(data::samplers::Sampler<>& sampler, const std::string& path);

}  // namespace tg
