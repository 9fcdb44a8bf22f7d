// TransformerEncoderLayer and TransformerEncoder: LibTorch's outputs and gradients (relu and gelu,
// with and without masks, two layers and a final LayerNorm), options' defaults, parameter names,
// copies of the given layer, training on a toy task, and errors.
#include <string>
#include <utility>
#include <vector>

#include "check.hpp"
#include "text_fixtures.hpp"

using tg::Tensor;
using tgtest::contains;
using tgtest::error_of;

namespace {

// Fixture case `name` through a float64 module given LibTorch's parameters: the output, then the
// gradients of src and every parameter after the backward of sum(y · gy).
void transformer_check_case(tg::nn::Module& module, const tgtest::TextFixture& fx, const std::string& name,
                            const Tensor& src_mask, const Tensor& src_key_padding_mask) {
  module.to(tg::kDouble);
  for (auto& named : module.named_parameters()) named.second.value<double>() = fx.array<double>(name + "." + named.first);
  const Tensor src(fx.array<double>(name + ".src"), true);
  Tensor y;
  if (auto* layer = dynamic_cast<tg::nn::TransformerEncoderLayerImpl*>(&module))
    y = layer->forward(src, src_mask, src_key_padding_mask);
  else
    y = dynamic_cast<tg::nn::TransformerEncoderImpl&>(module).forward(src, src_mask, src_key_padding_mask);
  CHECK_AGREES(y.value<double>(), fx.array<double>(name + ".y"));
  (y * Tensor(fx.array<double>(name + ".gy"))).sum().backward();
  std::vector<std::pair<std::string, Tensor>> leaves{{"src", src}};
  for (const auto& named : module.named_parameters()) leaves.emplace_back(named.first, named.second);
  for (const auto& leaf : leaves) {
    const std::string& key = leaf.first;
    CAPTURE(key);
    CHECK_AGREES(leaf.second.grad().value<double>(), fx.array<double>(name + ".grad." + key));
  }
}

Tensor transformer_bool_mask(const tgtest::TextFixture& fx, const std::string& key) {
  return Tensor(fx.array<std::int64_t>(key)).to(tg::kBool);
}

tg::nn::TransformerEncoderLayerOptions transformer_small_layer() {
  return tg::nn::TransformerEncoderLayerOptions(6, 2).dim_feedforward(10).dropout(0.0);
}

}  // namespace

TEST_CASE("TransformerEncoderLayer and TransformerEncoder agree with LibTorch: outputs and gradients") {
  const tgtest::TextFixture fx("transformer");
  SUBCASE("relu layer with a Bool src_mask and src_key_padding_mask") {
    tg::nn::TransformerEncoderLayer layer(transformer_small_layer());
    transformer_check_case(*layer, fx, "layer_relu", transformer_bool_mask(fx, "layer_relu.src_mask"),
                           transformer_bool_mask(fx, "layer_relu.src_key_padding_mask"));
  }
  SUBCASE("gelu layer without masks") {
    tg::nn::TransformerEncoderLayer layer(transformer_small_layer().activation(tg::kGELU));
    transformer_check_case(*layer, fx, "layer_gelu", Tensor(), Tensor());
  }
  SUBCASE("two layers and a final LayerNorm, a float src_mask and src_key_padding_mask") {
    tg::nn::TransformerEncoder encoder(tg::nn::TransformerEncoderOptions(transformer_small_layer(), 2)
                                           .norm(tg::nn::LayerNorm(tg::nn::LayerNormOptions({6}))));
    transformer_check_case(*encoder, fx, "encoder", Tensor(fx.array<double>("encoder.src_mask")),
                           transformer_bool_mask(fx, "encoder.src_key_padding_mask"));
  }
}

TEST_CASE("TransformerEncoder options, parameter names and copies of the given layer") {
  const tg::nn::TransformerEncoderLayerOptions defaults(512, 8);
  CHECK(defaults.dim_feedforward() == 2048);
  CHECK(defaults.dropout() == 0.1);
  CHECK(std::holds_alternative<tg::enumtype::kReLU>(defaults.activation()));

  tg::manual_seed(5);
  tg::nn::TransformerEncoderLayer layer(tg::nn::TransformerEncoderLayerOptions(4, 2).dim_feedforward(8));
  std::vector<std::string> names;
  for (const auto& named : layer->named_parameters()) names.push_back(named.first);
  CHECK(names == std::vector<std::string>{"self_attn.in_proj_weight", "self_attn.in_proj_bias",
                                          "self_attn.out_proj.weight", "self_attn.out_proj.bias", "linear1.weight",
                                          "linear1.bias", "linear2.weight", "linear2.bias", "norm1.weight",
                                          "norm1.bias", "norm2.weight", "norm2.bias"});
  CHECK(layer->self_attn->options().dropout() == 0.1);

  tg::nn::TransformerEncoder encoder(tg::nn::TransformerEncoderOptions(layer, 3)
                                         .norm(tg::nn::LayerNorm(tg::nn::LayerNormOptions({4}))));
  const auto params = encoder->named_parameters();
  CHECK(params.size() == 3 * 12 + 2);
  CHECK(params.contains("layers.2.linear2.bias"));
  CHECK(params.contains("norm.weight"));
  // As LibTorch's clones, every layer starts as a copy of the given one, yet owns its parameters.
  for (const auto& named : layer->named_parameters()) {
    const std::string& key = named.first;
    CAPTURE(key);
    for (int i = 0; i < 3; ++i)
      CHECK(tg::equal(params["layers." + std::to_string(i) + "." + key], named.second));
  }
  CHECK(params["layers.0.linear1.weight"].data_ptr<float>() != layer->linear1->weight.data_ptr<float>());
  // From options alone, layers draw their own parameters.
  tg::nn::TransformerEncoder fresh(tg::nn::TransformerEncoderOptions(layer->options(), 2));
  CHECK(!tg::equal(fresh->named_parameters()["layers.0.linear1.weight"],
                   fresh->named_parameters()["layers.1.linear1.weight"]));
  CHECK(!fresh->norm);
}

TEST_CASE("TransformerEncoder trains: SGD lowers the loss of a toy sequence task") {
  // Each position must output the mean of its sequence, which only attention can see.
  tg::manual_seed(6);
  tg::nn::TransformerEncoder encoder(
      tg::nn::TransformerEncoderOptions(tg::nn::TransformerEncoderLayerOptions(8, 2).dim_feedforward(16).dropout(0.0), 2));
  tg::nn::Linear head(8, 8);
  std::vector<Tensor> params = encoder->parameters();
  for (const Tensor& p : head->parameters()) params.push_back(p);
  tg::optim::SGD opt(params, tg::optim::SGDOptions(0.05).momentum(0.9));
  const Tensor src = tg::randn({5, 4, 8});
  const Tensor target = src.mean({0}, true).expand({5, 4, 8});
  double first = 0, last = 0;
  for (int step = 0; step < 40; ++step) {
    opt.zero_grad();
    const Tensor loss = tg::mse_loss(head(encoder(src)), target);
    loss.backward();
    opt.step();
    (step == 0 ? first : last) = loss.item<double>();
  }
  CAPTURE(first);
  CAPTURE(last);
  CHECK(last < 0.5 * first);
}

TEST_CASE("TransformerEncoder errors name the op, the shapes and what was expected") {
  CHECK(contains(error_of([] { tg::nn::TransformerEncoderLayer(6, 4); }),
                 "MultiheadAttention: embed_dim 6 must be divisible by num_heads 4"));
  CHECK(contains(error_of([] { tg::nn::TransformerEncoderLayer(tg::nn::TransformerEncoderLayerOptions(4, 2).dim_feedforward(0)); }),
                 "TransformerEncoderLayer: d_model and dim_feedforward must be positive, got d_model 4 and dim_feedforward 0"));
  CHECK(contains(error_of([] { tg::nn::TransformerEncoder(tg::nn::TransformerEncoderOptions(tg::nn::TransformerEncoderLayerOptions(4, 2), 0)); }),
                 "TransformerEncoder: num_layers must be at least 1, got 0"));
  tg::nn::TransformerEncoder encoder(tg::nn::TransformerEncoderOptions(tg::nn::TransformerEncoderLayerOptions(4, 2).dim_feedforward(8), 1));
  CHECK(contains(error_of([&] { encoder(tg::randn({3, 4})); }),
                 "MultiheadAttention: expected query, key and value of 3 dims (seq, batch, embed_dim), got query (3, 4)"));
  CHECK(contains(error_of([&] { encoder(tg::randn({3, 2, 4}), tg::zeros({3, 2}, tg::kBool)); }),
                 "MultiheadAttention: expected attn_mask (target, source) = (3, 3)"));
}
