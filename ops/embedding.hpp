// embedding: rows of a weight table picked by integer indices (torch::embedding); the gradient of
// each picked row is added back into its row, except into padding_idx's, which stays fixed.
#pragma once

#include <cstdint>
#include <optional>

#include <tapegrad/core/tensor.hpp>
#include <tapegrad/core/variable.hpp>

namespace tg {

// weight (num_embeddings, D), indices of any shape with values in [0, num_embeddings)
// -> (indices.shape..., D). padding_idx, when given (negative counts from the end), gets no gradient.
// scale_grad_by_freq: each row's gradient is divided by how often its index occurs in indices.
template <class T>
Variable<T> embedding(const Variable<T>& weight, const Labels& indices,
                      std::optional<std::int64_t> padding_idx = std::nullopt, bool scale_grad_by_freq = false);

// torch::embedding_renorm_: in place and unrecorded, every row of weight that indices pick and whose
// norm_type-norm exceeds max_norm is scaled to norm max_norm (by max_norm / (norm + 1e-7), LibTorch's
// factor). norm_type > 0 (infinity for the largest magnitude).
template <class T>
void embedding_renorm_(Array<T>& weight, const Labels& indices, double max_norm, double norm_type);

}  // namespace tg

namespace tg::nn::functional {

// F::embedding(indices, weight, F::EmbeddingFuncOptions().padding_idx(0).max_norm(1.0)), LibTorch's
// options and defaults. sparse(true) throws: tapegrad has no sparse gradients.
struct EmbeddingFuncOptions {
  EmbeddingFuncOptions& padding_idx(std::optional<std::int64_t> idx) { return padding_idx_ = idx, *this; }
  EmbeddingFuncOptions& max_norm(std::optional<double> max_norm) { return max_norm_ = max_norm, *this; }
  EmbeddingFuncOptions& norm_type(double norm_type) { return norm_type_ = norm_type, *this; }
  EmbeddingFuncOptions& scale_grad_by_freq(bool on) { return scale_grad_by_freq_ = on, *this; }
  EmbeddingFuncOptions& sparse(bool on) { return sparse_ = on, *this; }
  std::optional<std::int64_t> padding_idx() const { return padding_idx_; }
  std::optional<double> max_norm() const { return max_norm_; }
  double norm_type() const { return norm_type_; }
  bool scale_grad_by_freq() const { return scale_grad_by_freq_; }
  bool sparse() const { return sparse_; }

 private:
  std::optional<std::int64_t> padding_idx_;
  std::optional<double> max_norm_;
  double norm_type_ = 2.0;
  bool scale_grad_by_freq_ = false;
  bool sparse_ = false;
};

// input: a Long tensor of indices; weight: Float or Double (num_embeddings, D). With max_norm, the
// picked rows of weight are renormalised in place first, as LibTorch does.
Tensor embedding(const Tensor& input, const Tensor& weight, const EmbeddingFuncOptions& options = {});

template <class T>
Variable<T> embedding(const Labels& input, const Variable<T>& weight, const EmbeddingFuncOptions& options = {}) {
  return embedding(Tensor(input), Tensor(weight), options).template variable<T>();
}

}  // namespace tg::nn::functional
