// MultiheadAttention: LibTorch's outputs, head-averaged attention weights and gradients with and
// without Bool and float masks, parameter names and initialisation, need_weights, printing (LibTorch's
// MultiheadAttention prints its name and out_proj only) and errors.
#include <cmath>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "check.hpp"
#include "text_fixtures.hpp"

using tg::Tensor;
using tgtest::contains;
using tgtest::error_of;

namespace {

using MhaNamedTensors = std::vector<std::pair<std::string, Tensor>>;

// A Bool mask from the fixture's 0/1 int64 array.
Tensor mha_bool_mask(const tgtest::TextFixture& fx, const std::string& key) {
  return Tensor(fx.array<std::int64_t>(key)).to(tg::kBool);
}

// Fixture case `name` through a float64 module given LibTorch's parameters: the output and weights,
// then the gradients of query, key, value and every parameter after the backward of
// sum(y · gy) + sum(w · gw).
void mha_check_case(tg::nn::MultiheadAttention& attn, const tgtest::TextFixture& fx, const std::string& name,
                    const Tensor& key_padding_mask, const Tensor& attn_mask) {
  attn->to(tg::kDouble);
  for (auto& named : attn->named_parameters()) named.second.value<double>() = fx.array<double>(name + "." + named.first);
  MhaNamedTensors leaves;
  for (const char* key : {"query", "key", "value"})
    leaves.emplace_back(key, Tensor(fx.array<double>(name + "." + key), true));
  const auto result = attn(leaves[0].second, leaves[1].second, leaves[2].second, key_padding_mask, true, attn_mask);
  const Tensor& y = std::get<0>(result);
  const Tensor& w = std::get<1>(result);
  CHECK_AGREES(y.value<double>(), fx.array<double>(name + ".y"));
  CHECK_AGREES(w.value<double>(), fx.array<double>(name + ".w"));
  const Tensor loss = (y * Tensor(fx.array<double>(name + ".gy"))).sum() + (w * Tensor(fx.array<double>(name + ".gw"))).sum();
  loss.backward();
  for (const auto& named : attn->named_parameters()) leaves.emplace_back(named.first, named.second);
  for (const auto& leaf : leaves) {
    const std::string& key = leaf.first;
    CAPTURE(key);
    CHECK_AGREES(leaf.second.grad().value<double>(), fx.array<double>(name + ".grad." + key));
  }
}

}  // namespace

TEST_CASE("MultiheadAttention agrees with LibTorch: outputs, head-averaged weights and gradients") {
  const tgtest::TextFixture fx("multihead_attention");
  SUBCASE("no masks") {
    tg::nn::MultiheadAttention attn(6, 2);
    mha_check_case(attn, fx, "plain", Tensor(), Tensor());
  }
  SUBCASE("Bool key_padding_mask and Bool attn_mask") {
    tg::nn::MultiheadAttention attn(6, 2);
    mha_check_case(attn, fx, "bool_masks", mha_bool_mask(fx, "bool_masks.key_padding_mask"),
                   mha_bool_mask(fx, "bool_masks.attn_mask"));
  }
  SUBCASE("Bool key_padding_mask and an additive float attn_mask") {
    tg::nn::MultiheadAttention attn(6, 2);
    mha_check_case(attn, fx, "float_mask", mha_bool_mask(fx, "float_mask.key_padding_mask"),
                   Tensor(fx.array<double>("float_mask.attn_mask")));
  }
  SUBCASE("a per-head (batch·num_heads, L, S) Bool attn_mask, without biases") {
    tg::nn::MultiheadAttention attn(tg::nn::MultiheadAttentionOptions(6, 3).bias(false));
    mha_check_case(attn, fx, "per_head_mask", Tensor(), mha_bool_mask(fx, "per_head_mask.attn_mask"));
  }
}

TEST_CASE("MultiheadAttention has LibTorch's parameter names, shapes and initialisation") {
  tg::manual_seed(3);
  tg::nn::MultiheadAttention attn(tg::nn::MultiheadAttentionOptions(8, 2).dropout(0.25));
  std::vector<std::string> names;
  for (const auto& named : attn->named_parameters()) names.push_back(named.first);
  CHECK(names == std::vector<std::string>{"in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"});
  CHECK(attn->in_proj_weight.sizes() == tg::IntArrayRef({24, 8}));
  CHECK(attn->out_proj->weight.sizes() == tg::IntArrayRef({8, 8}));
  CHECK(attn->head_dim == 4);
  CHECK(attn->in_proj_bias.abs().max().item<double>() == 0);
  CHECK(attn->out_proj->bias.abs().max().item<double>() == 0);
  // Xavier-uniform over fan_in 8 and fan_out 24: U(-sqrt(6/32), sqrt(6/32)), and not all tiny.
  const double bound = std::sqrt(6.0 / 32.0), largest = attn->in_proj_weight.abs().max().item<double>();
  CHECK(largest <= bound);
  CHECK(largest > bound / 2);
  tg::nn::MultiheadAttention no_bias(tg::nn::MultiheadAttentionOptions(8, 2).bias(false));
  CHECK(no_bias->named_parameters().size() == 2);
  CHECK(!no_bias->in_proj_bias.defined());
  CHECK(tgtest::printed(*attn) ==
        "MultiheadAttention(\n"
        "  (out_proj): Linear(in_features=8, out_features=8, bias=true)\n"
        ")");
}

TEST_CASE("MultiheadAttention shapes, need_weights, masking and dropout") {
  tg::manual_seed(4);
  tg::nn::MultiheadAttention attn(tg::nn::MultiheadAttentionOptions(4, 2).dropout(0.5));
  const Tensor q = tg::randn({3, 2, 4}), kv = tg::randn({5, 2, 4});
  attn->eval();
  const auto full = attn(q, kv, kv);
  CHECK(std::get<0>(full).sizes() == tg::IntArrayRef({3, 2, 4}));
  CHECK(std::get<1>(full).sizes() == tg::IntArrayRef({2, 3, 5}));
  CHECK(tgtest::allclose(std::get<1>(full).sum({2}).value<float>(), tg::ones({2, 3}).value<float>()));
  const auto no_weights = attn(q, kv, kv, Tensor(), false);
  CHECK(!std::get<1>(no_weights).defined());
  CHECK(tgtest::allclose(std::get<0>(no_weights).value<float>(), std::get<0>(full).value<float>()));
  // Padded keys get no weight.
  tg::Array<bool> pad = tg::Array<bool>::from_shape({2, 5});
  pad.fill(false);
  pad(0, 4) = true;
  pad(1, 0) = true;
  const Tensor w = std::get<1>(attn(q, kv, kv, Tensor(pad)));
  CHECK(w.select(0, 0).select(1, 4).abs().max().item<double>() == 0);
  CHECK(w.select(0, 1).select(1, 0).abs().max().item<double>() == 0);
  // Training mode drops attention weights, so the output changes.
  attn->train();
  CHECK(!tgtest::allclose(std::get<0>(attn(q, kv, kv)).value<float>(), std::get<0>(full).value<float>()));
}

TEST_CASE("MultiheadAttention errors name the op, the shapes and what was expected") {
  CHECK(contains(error_of([] { tg::nn::MultiheadAttention(6, 4); }),
                 "MultiheadAttention: embed_dim 6 must be divisible by num_heads 4"));
  CHECK(contains(error_of([] { tg::nn::MultiheadAttention(6, 0); }),
                 "MultiheadAttention: embed_dim and num_heads must be positive, got embed_dim 6 and num_heads 0"));
  tg::nn::MultiheadAttention attn(4, 2);
  const Tensor q = tg::randn({3, 2, 4}), kv = tg::randn({5, 2, 4});
  CHECK(contains(error_of([&] { attn(tg::randn({3, 4}), kv, kv); }),
                 "MultiheadAttention: expected query, key and value of 3 dims (seq, batch, embed_dim), got query (3, 4), "
                 "key (5, 2, 4), value (5, 2, 4)"));
  CHECK(contains(error_of([&] { attn(q, tg::randn({5, 2, 3}), kv); }),
                 "MultiheadAttention: expected query, key and value with embed_dim 4 features, got query (3, 2, 4), "
                 "key (5, 2, 3)"));
  CHECK(contains(error_of([&] { attn(q, kv, tg::randn({4, 2, 4})); }),
                 "MultiheadAttention: expected key and value of one shape (S, N, E) with the query's batch"));
  CHECK(contains(error_of([&] { attn(q, kv, kv, tg::zeros({2, 4}, tg::kBool)); }),
                 "MultiheadAttention: expected a Bool key_padding_mask (batch, source) = (2, 5), got Bool (2, 4)"));
  CHECK(contains(error_of([&] { attn(q, kv, kv, tg::zeros({2, 5})); }),
                 "MultiheadAttention: expected a Bool key_padding_mask (batch, source) = (2, 5), got Float (2, 5)"));
  CHECK(contains(error_of([&] { attn(q, kv, kv, Tensor(), true, tg::zeros({5, 3})); }),
                 "MultiheadAttention: expected attn_mask (target, source) = (3, 5) or (batch·num_heads, target, "
                 "source) = (4, 3, 5), Bool or Float, got Float (5, 3)"));
  CHECK(contains(error_of([&] { attn(q, kv, kv, Tensor(), true, tg::zeros({3, 5}, tg::kDouble)); }),
                 "Bool or Float, got Double (3, 5)"));
}
