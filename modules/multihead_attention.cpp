#include <tapegrad/modules/multihead_attention.hpp>

#include <cmath>
#include <limits>
#include <string>

#include <tapegrad/core/grad_mode.hpp>
#include <tapegrad/modules/init.hpp>

namespace tg::nn {

namespace {

std::string mha_shape(const Tensor& t) { return shape_str(t.shape()); }

}  // namespace

MultiheadAttentionImpl::MultiheadAttentionImpl(const MultiheadAttentionOptions& options)
    : Module("MultiheadAttention"), options_(options) {
  const std::int64_t e = options.embed_dim(), h = options.num_heads();
  if (e <= 0 || h <= 0)
    throw Error("MultiheadAttention: embed_dim and num_heads must be positive, got embed_dim " + std::to_string(e) +
                " and num_heads " + std::to_string(h));
  if (e % h != 0)
    throw Error("MultiheadAttention: embed_dim " + std::to_string(e) + " must be divisible by num_heads " +
                std::to_string(h));
  if (options.dropout() < 0 || options.dropout() > 1)
    throw Error("MultiheadAttention: dropout must be in [0, 1], got " + std::to_string(options.dropout()));
  head_dim = e / h;
  const std::size_t ue = std::size_t(e);
  in_proj_weight = register_parameter("in_proj_weight", Tensor(Array<float>::from_shape({3 * ue, ue})));
  if (options.bias()) in_proj_bias = register_parameter("in_proj_bias", Tensor(Array<float>::from_shape({3 * ue})));
  out_proj = register_module("out_proj", Linear(ue, ue, options.bias()));
  reset_parameters();
}

void MultiheadAttentionImpl::reset_parameters() {
  NoGradGuard no_grad;
  init::xavier_uniform_(in_proj_weight);
  if (options_.bias()) {
    in_proj_bias.zero_();
    out_proj->bias.zero_();
  }
}

std::tuple<Tensor, Tensor> MultiheadAttentionImpl::forward(const Tensor& query, const Tensor& key, const Tensor& value,
                                                           const Tensor& key_padding_mask, bool need_weights,
                                                           const Tensor& attn_mask) {
  const std::int64_t e = options_.embed_dim(), h = options_.num_heads();
  if (query.dim() != 3 || key.dim() != 3 || value.dim() != 3)
    throw Error("MultiheadAttention: expected query, key and value of 3 dims (seq, batch, embed_dim), got query " +
                mha_shape(query) + ", key " + mha_shape(key) + ", value " + mha_shape(value));
  const std::int64_t l = query.size(0), n = query.size(1), s = key.size(0);
  if (query.size(2) != e || key.size(2) != e || value.size(2) != e)
    throw Error("MultiheadAttention: expected query, key and value with embed_dim " + std::to_string(e) +
                " features, got query " + mha_shape(query) + ", key " + mha_shape(key) + ", value " + mha_shape(value));
  if (key.size(1) != n || value.size(1) != n || value.size(0) != s)
    throw Error("MultiheadAttention: expected key and value of one shape (S, N, E) with the query's batch, got query " +
                mha_shape(query) + ", key " + mha_shape(key) + ", value " + mha_shape(value));
  if (key_padding_mask.defined() &&
      (key_padding_mask.dtype() != kBool || key_padding_mask.dim() != 2 || key_padding_mask.size(0) != n ||
       key_padding_mask.size(1) != s))
    throw Error("MultiheadAttention: expected a Bool key_padding_mask (batch, source) = " + shape_str(Shape{std::size_t(n), std::size_t(s)}) +
                ", got " + std::string(to_string(key_padding_mask.dtype())) + " " + mha_shape(key_padding_mask));
  if (attn_mask.defined()) {
    const bool shape_ok = (attn_mask.dim() == 2 && attn_mask.size(0) == l && attn_mask.size(1) == s) ||
                          (attn_mask.dim() == 3 && attn_mask.size(0) == n * h && attn_mask.size(1) == l &&
                           attn_mask.size(2) == s);
    if (!shape_ok || (attn_mask.dtype() != kBool && attn_mask.dtype() != query.dtype()))
      throw Error("MultiheadAttention: expected attn_mask (target, source) = " +
                  shape_str(Shape{std::size_t(l), std::size_t(s)}) + " or (batch·num_heads, target, source) = " +
                  shape_str(Shape{std::size_t(n * h), std::size_t(l), std::size_t(s)}) + ", Bool or " +
                  to_string(query.dtype()) + ", got " + to_string(attn_mask.dtype()) + " " + mha_shape(attn_mask));
  }

  const Tensor b = in_proj_bias;
  const auto project = [&](const Tensor& x, std::int64_t i, std::int64_t len) {
    const Tensor w = in_proj_weight.narrow(0, i * e, e);
    const Tensor y = linear(x, w, b.defined() ? b.narrow(0, i * e, e) : Tensor());
    // (len, N, E) -> (N·H, len, head_dim): one batch entry per sample and head.
    return y.reshape({len, n * h, head_dim}).transpose(0, 1);
  };
  const Tensor q = project(query, 0, l) * (1.0 / std::sqrt(double(head_dim)));
  const Tensor k = project(key, 1, s), v = project(value, 2, s);

  constexpr double minus_inf = -std::numeric_limits<double>::infinity();
  Tensor scores = bmm(q, k.transpose(1, 2));  // (N·H, L, S)
  if (attn_mask.defined())
    scores = attn_mask.dtype() == kBool ? scores.masked_fill(attn_mask, minus_inf) : scores + attn_mask;
  if (key_padding_mask.defined())
    scores = scores.reshape({n, h, l, s}).masked_fill(key_padding_mask.reshape({n, 1, 1, s}), minus_inf)
                 .reshape({n * h, l, s});
  const Tensor weights = dropout(softmax(scores, -1), options_.dropout(), is_training());
  const Tensor out = bmm(weights, v).transpose(0, 1).reshape({l, n, e});
  if (!need_weights) return {out_proj(out), Tensor()};
  return {out_proj(out), weights.reshape({n, h, l, s}).sum({1}) / double(h)};
}

}  // namespace tg::nn
