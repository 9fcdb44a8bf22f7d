// tg::nn::TransformerEncoderLayer and TransformerEncoder: LibTorch 1.13's post-norm encoder layer
// (self-attention, then a feedforward block, each added to its input and layer-normalised) and a
// stack of them with an optional final norm, with LibTorch's options, forward signatures and
// submodule names (self_attn, linear1, dropout, linear2, norm1, norm2, dropout1, dropout2; layers.0,
// layers.1, ..., norm), so a LibTorch model's parameter names line up.
//
//   tg::nn::TransformerEncoderLayer layer(tg::nn::TransformerEncoderLayerOptions(512, 8).dropout(0.1));
//   tg::nn::TransformerEncoder encoder(tg::nn::TransformerEncoderOptions(layer, 6)
//                                          .norm(tg::nn::LayerNorm(tg::nn::LayerNormOptions({512}))));
//   Tensor y = encoder(src, src_mask, src_key_padding_mask);  // src (S, N, 512) -> (S, N, 512)
//
// The masks are MultiheadAttention's attn_mask and key_padding_mask. As in LibTorch, the encoder's
// layers and norm are clones of the given ones (Module::clone()).
#pragma once

#include <cstdint>
#include <variant>

#include <tapegrad/core/arg.hpp>
#include <tapegrad/core/enum.hpp>
#include <tapegrad/modules/dropout.hpp>
#include <tapegrad/modules/layer_norm.hpp>
#include <tapegrad/modules/linear.hpp>
#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/module_holder.hpp>
#include <tapegrad/modules/module_list.hpp>
#include <tapegrad/modules/multihead_attention.hpp>

namespace tg::nn {

struct TransformerEncoderLayerOptions {
  using activation_t = std::variant<enumtype::kReLU, enumtype::kGELU>;
  TransformerEncoderLayerOptions(std::int64_t d_model, std::int64_t nhead)  // NOLINT: implicit, as LibTorch's
      : d_model_(d_model), nhead_(nhead) {}
  TG_ARG(std::int64_t, d_model);
  TG_ARG(std::int64_t, nhead);
  TG_ARG(std::int64_t, dim_feedforward) = 2048;
  TG_ARG(double, dropout) = 0.1;
  TG_ARG(activation_t, activation) = kReLU;
};

class TransformerEncoderLayerImpl : public Module {
 public:
  TransformerEncoderLayerImpl(std::int64_t d_model, std::int64_t nhead)
      : TransformerEncoderLayerImpl(TransformerEncoderLayerOptions(d_model, nhead)) {}
  explicit TransformerEncoderLayerImpl(const TransformerEncoderLayerOptions& options);

  // src (S, N, d_model) -> (S, N, d_model).
  Tensor forward(const Tensor& src, const Tensor& src_mask, const Tensor& src_key_padding_mask = {});
  Tensor forward(const Tensor& src) { return forward(src, Tensor()); }
  // Every submodule's own initialisation, as LibTorch.
  void reset_parameters();
  const TransformerEncoderLayerOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override {
    return std::make_shared<TransformerEncoderLayerImpl>(options_);
  }

  MultiheadAttention self_attn{nullptr};
  Linear linear1{nullptr};
  Dropout dropout{nullptr};  // inside the feedforward block
  Linear linear2{nullptr};
  LayerNorm norm1{nullptr}, norm2{nullptr};
  Dropout dropout1{nullptr}, dropout2{nullptr};  // on the attention and feedforward outputs

 private:
  TransformerEncoderLayerOptions options_;
};
TG_MODULE(TransformerEncoderLayer);

struct TransformerEncoderOptions {
  // Layers built from these options, each with fresh parameters.
  TransformerEncoderOptions(const TransformerEncoderLayerOptions& encoder_layer, std::int64_t num_layers)
      : encoder_layer_(encoder_layer), num_layers_(num_layers) {}
  // Layers that are clones of this one.
  TransformerEncoderOptions(const TransformerEncoderLayer& encoder_layer, std::int64_t num_layers)
      : encoder_layer_(encoder_layer->options()), num_layers_(num_layers), layer_(encoder_layer) {}
  TG_ARG(TransformerEncoderLayerOptions, encoder_layer);
  TG_ARG(std::int64_t, num_layers);
  TG_ARG(LayerNorm, norm) = nullptr;  // applied after the last layer; empty for none

 public:
  // The layer given to the constructor, which every layer is a clone of; empty for none.
  const TransformerEncoderLayer& layer() const { return layer_; }

 private:
  TransformerEncoderLayer layer_{nullptr};
};

class TransformerEncoderImpl : public Module {
 public:
  TransformerEncoderImpl(const TransformerEncoderLayer& encoder_layer, std::int64_t num_layers)
      : TransformerEncoderImpl(TransformerEncoderOptions(encoder_layer, num_layers)) {}
  explicit TransformerEncoderImpl(const TransformerEncoderOptions& options);

  // src (S, N, d_model) through every layer, then the norm -> (S, N, d_model).
  Tensor forward(const Tensor& src, const Tensor& src_mask, const Tensor& src_key_padding_mask = {});
  Tensor forward(const Tensor& src) { return forward(src, Tensor()); }
  // Every layer's and the norm's own initialisation (fresh, no longer copies of one layer).
  void reset_parameters();
  const TransformerEncoderOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override {
    return std::make_shared<TransformerEncoderImpl>(options_);
  }

  ModuleList layers{nullptr};
  LayerNorm norm{nullptr};  // empty without options().norm()

 private:
  TransformerEncoderOptions options_;
};
TG_MODULE(TransformerEncoder);

}  // namespace tg::nn
