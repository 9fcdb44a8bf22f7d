// tg::data::samplers::Sampler: which indices make the next batch, as LibTorch's samplers::Sampler.
// A data loader calls reset() at the start of every epoch, then next(batch_size) until it returns
// nullopt; the last batch may be shorter than batch_size.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

namespace tg::data::samplers {

template <class BatchRequest = std::vector<std::size_t>>
class Sampler {
 public:
  using BatchRequestType = BatchRequest;

  virtual ~Sampler() = default;

  // Starts a new epoch, over `new_size` indices when given (else the size it had).
  virtual void reset(std::optional<std::size_t> new_size) = 0;
  // The next batch_size (or fewer, at the end) indices, or nullopt when the epoch is over.
  virtual std::optional<BatchRequest> next(std::size_t batch_size) = 0;
};

}  // namespace tg::data::samplers
