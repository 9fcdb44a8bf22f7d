// tg::nn::Embedding: a table of num_embeddings learnt vectors, looked up by integer index, as LibTorch's.
//
//   tg::nn::Embedding embed(tg::nn::EmbeddingOptions(1000, 64).padding_idx(0));
//   auto vectors = embed->forward(token_ids);   // token_ids: a Long tensor (B, T) -> (B, T, 64)
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/module_holder.hpp>
#include <tapegrad/ops/embedding.hpp>
#include <tapegrad/ops/tensor_ops.hpp>

namespace tg::nn {

// LibTorch's options and defaults; sparse(true) throws at construction (no sparse gradients).
class EmbeddingOptions {
 public:
  EmbeddingOptions(std::size_t num_embeddings, std::size_t embedding_dim)
      : num_embeddings_(num_embeddings), embedding_dim_(embedding_dim) {}
  // The row that is zero at init and never learns (negative: counted from the end).
  EmbeddingOptions& padding_idx(std::optional<std::int64_t> idx) { return padding_idx_ = idx, *this; }
  // Picked rows whose norm_type-norm exceeds max_norm are scaled down to it, in place, at each forward.
  EmbeddingOptions& max_norm(std::optional<double> max_norm) { return max_norm_ = max_norm, *this; }
  EmbeddingOptions& norm_type(double norm_type) { return norm_type_ = norm_type, *this; }
  EmbeddingOptions& scale_grad_by_freq(bool on) { return scale_grad_by_freq_ = on, *this; }
  EmbeddingOptions& sparse(bool on) { return sparse_ = on, *this; }

  std::size_t num_embeddings() const { return num_embeddings_; }
  std::size_t embedding_dim() const { return embedding_dim_; }
  std::optional<std::int64_t> padding_idx() const { return padding_idx_; }
  std::optional<double> max_norm() const { return max_norm_; }
  double norm_type() const { return norm_type_; }
  bool scale_grad_by_freq() const { return scale_grad_by_freq_; }
  bool sparse() const { return sparse_; }

 private:
  std::size_t num_embeddings_, embedding_dim_;
  std::optional<std::int64_t> padding_idx_;
  std::optional<double> max_norm_;
  double norm_type_ = 2.0;
  bool scale_grad_by_freq_ = false;
  bool sparse_ = false;
};

class EmbeddingImpl : public Module {
 public:
  explicit EmbeddingImpl(const EmbeddingOptions& options);
  EmbeddingImpl(std::size_t num_embeddings, std::size_t embedding_dim)
      : EmbeddingImpl(EmbeddingOptions(num_embeddings, embedding_dim)) {}

  // indices: a Long tensor of any shape -> (indices.shape..., embedding_dim).
  Tensor forward(const Tensor& indices);
  // weight ~ N(0, 1), the padding row zero (LibTorch's init).
  void reset_parameters();
  void pretty_print(std::ostream& stream) const override;
  const EmbeddingOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<EmbeddingImpl>(options_); }

  Tensor weight;  // (num_embeddings, embedding_dim)

 private:
  EmbeddingOptions options_;  // padding_idx made non-negative
};
TG_MODULE(Embedding);

}  // namespace tg::nn
