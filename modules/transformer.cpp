#include <tapegrad/modules/transformer.hpp>

#include <string>

namespace tg::nn {

TransformerEncoderLayerImpl::TransformerEncoderLayerImpl(const TransformerEncoderLayerOptions& options)
    : Module("TransformerEncoderLayer"), options_(options) {
  const std::int64_t d = options.d_model(), f = options.dim_feedforward();
  if (d <= 0 || f <= 0)
    throw Error("TransformerEncoderLayer: d_model and dim_feedforward must be positive, got d_model " +
                std::to_string(d) + " and dim_feedforward " + std::to_string(f));
  self_attn = register_module(
      "self_attn", MultiheadAttention(MultiheadAttentionOptions(d, options.nhead()).dropout(options.dropout())));
  linear1 = register_module("linear1", Linear(std::size_t(d), std::size_t(f)));
  dropout = register_module("dropout", Dropout(options.dropout()));
  linear2 = register_module("linear2", Linear(std::size_t(f), std::size_t(d)));
  norm1 = register_module("norm1", LayerNorm(LayerNormOptions({d})));
  norm2 = register_module("norm2", LayerNorm(LayerNormOptions({d})));
  dropout1 = register_module("dropout1", Dropout(options.dropout()));
  dropout2 = register_module("dropout2", Dropout(options.dropout()));
}

void TransformerEncoderLayerImpl::reset_parameters() {
  self_attn->reset_parameters();
  linear1->reset_parameters();
  linear2->reset_parameters();
  norm1->reset_parameters();
  norm2->reset_parameters();
}

Tensor TransformerEncoderLayerImpl::forward(const Tensor& src, const Tensor& src_mask,
                                            const Tensor& src_key_padding_mask) {
  const Tensor attended =
      std::get<0>(self_attn(src, src, src, src_key_padding_mask, /*need_weights=*/false, src_mask));
  const Tensor x = norm1(src + dropout1(attended));
  const Tensor hidden = linear1(x);
  const Tensor activated =
      std::holds_alternative<enumtype::kGELU>(options_.activation()) ? gelu(hidden) : relu(hidden);
  return norm2(x + dropout2(linear2(dropout(activated))));
}

TransformerEncoderImpl::TransformerEncoderImpl(const TransformerEncoderOptions& options)
    : Module("TransformerEncoder"), options_(options) {
  if (options.num_layers() < 1)
    throw Error("TransformerEncoder: num_layers must be at least 1, got " + std::to_string(options.num_layers()));
  layers = register_module("layers", ModuleList());
  for (std::int64_t i = 0; i < options.num_layers(); ++i) {
    if (options.layer())
      layers->push_back(std::static_pointer_cast<TransformerEncoderLayerImpl>(options.layer()->clone()));
    else
      layers->push_back(TransformerEncoderLayer(options.encoder_layer()));
  }
  if (options.norm()) norm = register_module("norm", LayerNorm(std::static_pointer_cast<LayerNormImpl>(options.norm()->clone())));
}

void TransformerEncoderImpl::reset_parameters() {
  for (std::size_t i = 0; i < layers->size(); ++i) layers->at<TransformerEncoderLayerImpl>(i).reset_parameters();
  if (norm) norm->reset_parameters();
}

Tensor TransformerEncoderImpl::forward(const Tensor& src, const Tensor& src_mask, const Tensor& src_key_padding_mask) {
  Tensor x = src;
  for (std::size_t i = 0; i < layers->size(); ++i)
    x = layers->at<TransformerEncoderLayerImpl>(i).forward(x, src_mask, src_key_padding_mask);
  return norm ? norm(x) : x;
}

}  // namespace tg::nn
