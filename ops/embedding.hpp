// embedding: rows of a weight table picked by integer indices (torch::embedding); the gradient of
// each picked row is added back into its row, except into padding_idx's, which stays fixed.
#pragma once

#include <cstdint>
#include <optional>

#include <tapegrad/core/variable.hpp>

namespace tg {

// weight (num_embeddings, D), indices of any shape with values in [0, num_embeddings)
// -> (indices.shape..., D). padding_idx, when given (negative counts from the end), gets no gradient.
template <class T>
Variable<T> embedding(const Variable<T>& weight, const Labels& indices,
                      std::optional<std::int64_t> padding_idx = std::nullopt);

}  // namespace tg

namespace tg::nn::functional {

// F::embedding(indices, weight, F::EmbeddingFuncOptions().padding_idx(0)).
struct EmbeddingFuncOptions {
  EmbeddingFuncOptions& padding_idx(std::optional<std::int64_t> idx) { return padding_idx_ = idx, *this; }
  std::optional<std::int64_t> padding_idx() const { return padding_idx_; }

 private:
  std::optional<std::int64_t> padding_idx_;
};

template <class T>
Variable<T> embedding(const Labels& input, const Variable<T>& weight, const EmbeddingFuncOptions& options = {}) {
  return tg::embedding(weight, input, options.padding_idx());
}

}  // namespace tg::nn::functional
