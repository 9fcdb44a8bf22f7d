// tg::nn::MultiheadAttention: LibTorch 1.13's multi-head scaled dot-product attention, with its options,
// forward signature, parameter names (in_proj_weight (3·embed_dim, embed_dim) stacking the query, key
// and value projections, in_proj_bias, out_proj.weight, out_proj.bias) and initialisation. It is a
// composite of linear, reshape, bmm, masked_fill, softmax and dropout, so its gradients come from them.
//
//   tg::nn::MultiheadAttention attn(tg::nn::MultiheadAttentionOptions(/*embed_dim=*/16, /*num_heads=*/4));
//   auto [out, weights] = attn(q, k, v);   // q (L, N, 16), k and v (S, N, 16)
//                                          // out (L, N, 16), weights (N, L, S), averaged over heads
//   auto [y, w] = attn(x, x, x, key_padding_mask, /*need_weights=*/false, attn_mask);  // w undefined
//
// Masks: key_padding_mask (N, S) is Bool, true where a key is padding; attn_mask (L, S) or
// (N·num_heads, L, S) is Bool (true: not allowed) or of the query's dtype, added to the scores.
//
// Where tapegrad differs from LibTorch 1.13: there is no add_bias_kv, add_zero_attn, kdim or vdim
// (key and value have embed_dim features), and no F::multi_head_attention_forward.
#pragma once

#include <cstdint>
#include <tuple>

#include <tapegrad/core/arg.hpp>
#include <tapegrad/modules/linear.hpp>
#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/module_holder.hpp>
#include <tapegrad/ops/tensor_ops.hpp>

namespace tg::nn {

struct MultiheadAttentionOptions {
  MultiheadAttentionOptions(std::int64_t embed_dim, std::int64_t num_heads)
      : embed_dim_(embed_dim), num_heads_(num_heads) {}
  TG_ARG(std::int64_t, embed_dim);
  TG_ARG(std::int64_t, num_heads);  // must divide embed_dim
  TG_ARG(double, dropout) = 0.0;    // on the attention weights, while training
  TG_ARG(bool, bias) = true;        // false: no in_proj_bias, out_proj without bias
};

class MultiheadAttentionImpl : public Module {
 public:
  MultiheadAttentionImpl(std::int64_t embed_dim, std::int64_t num_heads)
      : MultiheadAttentionImpl(MultiheadAttentionOptions(embed_dim, num_heads)) {}
  explicit MultiheadAttentionImpl(const MultiheadAttentionOptions& options);

  // query (L, N, E), key and value (S, N, E) -> the attention output (L, N, E) and, with need_weights,
  // the attention weights averaged over the heads (N, L, S) (undefined otherwise).
  std::tuple<Tensor, Tensor> forward(const Tensor& query, const Tensor& key, const Tensor& value,
                                     const Tensor& key_padding_mask = {}, bool need_weights = true,
                                     const Tensor& attn_mask = {});
  // in_proj_weight Xavier-uniform, in_proj_bias and out_proj.bias 0, as LibTorch; out_proj.weight
  // keeps Linear's initialisation.
  void reset_parameters();
  const MultiheadAttentionOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<MultiheadAttentionImpl>(options_); }

  Tensor in_proj_weight;  // (3·embed_dim, embed_dim): query, key, value projections stacked
  Tensor in_proj_bias;    // (3·embed_dim,); undefined with bias(false)
  Linear out_proj{nullptr};
  std::int64_t head_dim;

 private:
  MultiheadAttentionOptions options_;
};
TG_MODULE(MultiheadAttention);

}  // namespace tg::nn
