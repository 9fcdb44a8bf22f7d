// tg::nn::functional's option forms on tg::Tensor, as LibTorch 1.13 spells them
// (F::batch_norm(x, rm, rv, F::BatchNormFuncOptions().weight(w)...)): each agrees with its module or
// with the positional tg:: form, and an option tapegrad cannot honour throws.
#include <sstream>

#include "check.hpp"
#include "text_fixtures.hpp"

using doctest::Contains;
using tg::Array;
using tg::Tensor;
namespace F = tg::nn::functional;

namespace {

Tensor randn_double(const tg::Shape& shape, unsigned seed, bool requires_grad = false) {
  return Tensor(tgtest::rand_var(shape, seed).value(), requires_grad);
}

}  // namespace

TEST_CASE("F::batch_norm with BatchNormFuncOptions agrees with BatchNorm2d in training and eval") {
  tg::manual_seed(3);
  tg::nn::BatchNorm2d bn(tg::nn::BatchNorm2dOptions(3).momentum(0.3).eps(1e-3));
  {
    tg::NoGradGuard no_grad;
    bn->weight.copy_(tg::randn({3}));
    bn->bias.copy_(tg::randn({3}));
  }
  const Tensor x = tg::randn({4, 3, 2, 5});
  Tensor rm = tg::zeros({3}), rv = tg::ones({3});
  for (const bool training : {true, false}) {
    CAPTURE(training);
    if (training) bn->train();
    else bn->eval();
    const Tensor expected = bn->forward(x);
    const Tensor y = F::batch_norm(
        x, rm, rv, F::BatchNormFuncOptions().weight(bn->weight).bias(bn->bias).training(training).momentum(0.3).eps(1e-3));
    CHECK(tgtest::allclose(y.value<float>(), expected.value<float>()));
    CHECK(tgtest::allclose(rm.value<float>(), bn->running_mean.value<float>()));
    CHECK(tgtest::allclose(rv.value<float>(), bn->running_var.value<float>()));
  }
  // The default options: no affine, evaluation with the running statistics, eps 1e-5.
  const Tensor plain = F::batch_norm(x, rm, rv);
  CHECK(tgtest::allclose(plain.value<float>(),
                         tg::batch_norm(x, {}, {}, rm, rv, false, 0.1, 1e-5).value<float>()));
}

TEST_CASE("F::batch_norm option form: gradients in float64 and bad options") {
  const Tensor x = randn_double({5, 2, 3}, 1, true), w = randn_double({2}, 2, true), b = randn_double({2}, 3, true);
  CHECK_GRADCHECK(
      [](const std::vector<tg::Variable<double>>& in) {
        return F::batch_norm(Tensor(in[0]), Tensor(), Tensor(),
                             F::BatchNormFuncOptions().weight(in[1]).bias(in[2]).training(true))
            .variable<double>();
      },
      {x.variable<double>(), w.variable<double>(), b.variable<double>()});
  Tensor rm = tg::zeros({2}, tg::kDouble), rv = tg::ones({2}, tg::kDouble);
  CHECK_THROWS_WITH_AS(F::batch_norm(x, rm, rv, F::BatchNormFuncOptions().momentum(std::nullopt)),
                       Contains("batch_norm: BatchNormFuncOptions().momentum must be a number"), tg::Error);
  CHECK_THROWS_WITH_AS(F::batch_norm(x, tg::zeros({2}), tg::ones({2}), F::BatchNormFuncOptions().training(true)),
                       Contains("running statistics of dtype Float for an input of dtype Double"), tg::Error);
  CHECK_THROWS_WITH_AS(F::batch_norm(x, rm, rv, F::BatchNormFuncOptions().weight(randn_double({3}, 4))),
                       Contains("batch_norm: expected weight (2,)"), tg::Error);
  CHECK_THROWS_WITH_AS(F::batch_norm(x, Tensor(), Tensor(), F::BatchNormFuncOptions().training(false)),
                       Contains("evaluation (training false) needs running_mean and running_var"), tg::Error);
  CHECK_THROWS_WITH_AS(F::batch_norm(randn_double({1, 2}, 5), rm, rv, F::BatchNormFuncOptions().training(true)),
                       Contains("expected more than 1 value per channel when training"), tg::Error);
}

TEST_CASE("F::layer_norm with LayerNormFuncOptions agrees with LayerNorm and tg::layer_norm") {
  tg::manual_seed(5);
  tg::nn::LayerNorm norm(tg::nn::LayerNormOptions({3, 4}).eps(1e-3));
  {
    tg::NoGradGuard no_grad;
    norm->weight.copy_(tg::randn({3, 4}));
    norm->bias.copy_(tg::randn({3, 4}));
  }
  const Tensor x = tg::randn({2, 3, 4});
  const Tensor y = F::layer_norm(x, F::LayerNormFuncOptions({3, 4}).weight(norm->weight).bias(norm->bias).eps(1e-3));
  CHECK(tgtest::allclose(y.value<float>(), norm->forward(x).value<float>()));
  const Tensor plain = F::layer_norm(x, F::LayerNormFuncOptions({4}));
  CHECK(tgtest::allclose(plain.value<float>(), tg::layer_norm(x, {4}).value<float>()));
  CHECK(F::LayerNormFuncOptions({4}).eps() == 1e-5);
  CHECK_GRADCHECK(
      [](const std::vector<tg::Variable<double>>& in) {
        return F::layer_norm(in[0], F::LayerNormFuncOptions({3}).weight(in[1]).bias(in[2]));
      },
      {tgtest::rand_var({2, 3}, 6), tgtest::rand_var({3}, 7), tgtest::rand_var({3}, 8)});
  CHECK_THROWS_WITH_AS(F::layer_norm(x, F::LayerNormFuncOptions({3})),
                       Contains("layer_norm: expected an input whose last dims are normalized_shape (3,)"), tg::Error);
  CHECK_THROWS_WITH_AS(F::layer_norm(x, F::LayerNormFuncOptions({4}).weight(tg::ones({3}))),
                       Contains("expected weight of normalized_shape (4,), got (3,)"), tg::Error);
  CHECK_THROWS_WITH_AS(F::layer_norm(x, F::LayerNormFuncOptions({-4})), Contains("normalized_shape must be non-negative"),
                       tg::Error);
}

TEST_CASE("F::embedding with EmbeddingFuncOptions agrees with Embedding (padding_idx, max_norm, scale_grad_by_freq)") {
  tg::manual_seed(6);
  const Tensor idx(tg::Labels{{1, 4, 4}, {0, 1, 4}});
  for (const bool freq : {false, true}) {
    CAPTURE(freq);
    tg::nn::Embedding embed(tg::nn::EmbeddingOptions(5, 3).padding_idx(0).max_norm(1.0).scale_grad_by_freq(freq));
    Tensor table = embed->weight.detach().clone().requires_grad_();
    const Tensor y = F::embedding(idx, table, F::EmbeddingFuncOptions().padding_idx(0).max_norm(1.0).scale_grad_by_freq(freq));
    const Tensor expected = embed->forward(idx);
    CHECK(tgtest::allclose(y.value<float>(), expected.value<float>()));
    CHECK(tgtest::allclose(table.value<float>(), embed->weight.value<float>()));  // both renormalised alike
    (y.sum() + expected.sum()).backward();  // one backward: the tape is swept once
    CHECK(tgtest::allclose(table.grad().value<float>(), embed->weight.grad().value<float>()));
    // Index 4 occurs three times: its row's gradient is 3 without scaling, 1 with it.
    CHECK(table.grad().value<float>()(4, 0) == doctest::Approx(freq ? 1.0 : 3.0));
  }
  std::ostringstream out;
  out << *tg::nn::Embedding(tg::nn::EmbeddingOptions(5, 3).max_norm(2.0).norm_type(1.0).scale_grad_by_freq(true));
  CHECK(out.str() == "Embedding(num_embeddings=5, embedding_dim=3, max_norm=2, norm_type=1, scale_grad_by_freq=true)");
}

TEST_CASE("F::embedding's options agree with LibTorch (scale_grad_by_freq, max_norm with 2-, 1- and inf-norms)") {
  tgtest::TextFixture fx("embedding");
  const Tensor idx(fx.labels("indices"));
  for (const std::string name : {"freq", "freq_padding2"}) {
    CAPTURE(name);
    Tensor w(fx.array<double>("weight"), true);
    auto options = F::EmbeddingFuncOptions().scale_grad_by_freq(true);
    if (name == "freq_padding2") options.padding_idx(2);
    const Tensor y = F::embedding(idx, w, options);
    CHECK_AGREES(y.value<double>(), fx.array<double>(name + ".y"));
    y.backward(Tensor(fx.array<double>(name + ".gy")));
    CHECK_AGREES(w.grad().value<double>(), fx.array<double>(name + ".grad.w"));
  }
  // (No gradcheck with scale_grad_by_freq: by design its gradient is not the derivative.)
  const std::tuple<std::string, double, double> renorms[] = {
      {"max_norm", 1.5, 2.0}, {"max_norm_p1", 2.0, 1.0}, {"max_norm_inf", 1.0, std::numeric_limits<double>::infinity()}};
  for (const auto& [name, max_norm, norm_type] : renorms) {
    const std::string& case_name = name;
    CAPTURE(case_name);
    Tensor w(fx.array<double>("weight"), true);
    const Tensor y = F::embedding(idx, w, F::EmbeddingFuncOptions().max_norm(max_norm).norm_type(norm_type));
    CHECK_AGREES(y.value<double>(), fx.array<double>(name + ".y"));
    CHECK_AGREES(w.value<double>(), fx.array<double>(name + ".weight_after"));
  }
}

TEST_CASE("F::embedding: options tapegrad cannot honour, and bad ones, throw") {
  const Tensor w = tg::randn({4, 2}, tg::requires_grad()), idx(tg::Labels{0, 3});
  CHECK_THROWS_WITH_AS(F::embedding(idx, w, F::EmbeddingFuncOptions().sparse(true)),
                       Contains("embedding: EmbeddingFuncOptions().sparse(true) is not supported"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::nn::Embedding(tg::nn::EmbeddingOptions(4, 2).sparse(true)),
                       Contains("Embedding: sparse(true) is not supported"), tg::Error);
  CHECK_THROWS_WITH_AS(F::embedding(idx, w, F::EmbeddingFuncOptions().max_norm(1.0).norm_type(0.0)),
                       Contains("embedding: norm_type must be > 0"), tg::Error);
  CHECK_THROWS_WITH_AS(F::embedding(idx, w, F::EmbeddingFuncOptions().max_norm(-1.0)),
                       Contains("embedding: max_norm must be >= 0"), tg::Error);
  CHECK_THROWS_WITH_AS(F::embedding(tg::Tensor(tg::Labels{0, 4}), w, F::EmbeddingFuncOptions().max_norm(1.0)),
                       Contains("embedding_renorm_: index 4 at position 1 is out of range for weight (4, 2)"), tg::Error);
  CHECK_THROWS_WITH_AS(F::embedding(tg::zeros({2}), w), Contains("embedding: expected indices of dtype Long, got Float"), tg::Error);
  CHECK_THROWS_WITH_AS(F::embedding(idx, w, F::EmbeddingFuncOptions().padding_idx(4)),
                       Contains("embedding: padding_idx 4 must be within num_embeddings 4"), tg::Error);
}

TEST_CASE("F::conv_transpose2d with ConvTranspose2dFuncOptions agrees with ConvTranspose2d") {
  tg::manual_seed(7);
  tg::nn::ConvTranspose2d up(tg::nn::ConvTranspose2dOptions(3, 2, {3, 2}).stride({2, 1}).padding(1).output_padding({1, 0}));
  const Tensor x = tg::randn({2, 3, 4, 5});
  const Tensor y = F::conv_transpose2d(
      x, up->weight, F::ConvTranspose2dFuncOptions().bias(up->bias).stride({2, 1}).padding(1).output_padding({1, 0}).groups(1).dilation(1));
  CHECK(tgtest::allclose(y.value<float>(), up->forward(x).value<float>()));
  CHECK(tgtest::allclose(F::conv_transpose2d(x, up->weight, F::ConvTranspose2dFuncOptions()).value<float>(),
                         tg::conv_transpose2d(x, up->weight).value<float>()));
  CHECK_THROWS_WITH_AS(F::conv_transpose2d(x, up->weight, F::ConvTranspose2dFuncOptions().groups(3)),
                       Contains("conv_transpose2d: only groups 1 and dilation 1 are supported, got groups 3 and dilation [1]"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(F::conv_transpose2d(x, up->weight, F::ConvTranspose2dFuncOptions().dilation({1, 2})),
                       Contains("got groups 1 and dilation [1, 2]"), tg::Error);
  CHECK_THROWS_WITH_AS(F::conv_transpose2d(x, up->weight, F::ConvTranspose2dFuncOptions().stride({1, 2, 3})),
                       Contains("conv_transpose2d: expected stride"), tg::Error);
  CHECK_THROWS_WITH_AS(F::conv_transpose2d(x, up->weight, F::ConvTranspose2dFuncOptions().bias(tg::zeros({3}))),
                       Contains("expected bias (2,)"), tg::Error);
}

TEST_CASE("F::gelu with GELUFuncOptions agrees with GELU, both approximations, an unknown one throws") {
  const Tensor x = tg::randn({3, 4}) * 3;
  for (const std::string form : {"none", "tanh"}) {
    CAPTURE(form);
    const Tensor y = F::gelu(x, F::GELUFuncOptions().approximate(form));
    CHECK(tgtest::allclose(y.value<float>(), tg::nn::GELU(tg::nn::GELUOptions().approximate(form))->forward(x).value<float>()));
    CHECK(tgtest::allclose(y.value<float>(), tg::gelu(x, form).value<float>()));
  }
  CHECK_FALSE(tgtest::allclose(F::gelu(x, F::GELUFuncOptions().approximate("tanh")).value<float>(), F::gelu(x).value<float>(), 1e-7, 0));
  CHECK_THROWS_WITH_AS(F::gelu(x, F::GELUFuncOptions().approximate("erf")), Contains("gelu: approximate must be \"none\" or \"tanh\", got \"erf\""), tg::Error);
}
