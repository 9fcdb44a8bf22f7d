#include <sstream>

#include "check.hpp"
#include "text_fixtures.hpp"

using doctest::Contains;
using tg::Array;
using tg::Variable;
using V = std::vector<Variable<double>>;
namespace F = tg::nn::functional;

TEST_CASE("layer_norm: each row normalised by hand, then scaled and shifted per column") {
  auto x = tgtest::rand_var({3, 4, 10}, 1, -2, 3);
  auto w = tgtest::rand_var({10}, 2), b = tgtest::rand_var({10}, 3);
  auto y = tg::layer_norm(x, {10}, w, b, 1e-5);
  for (std::size_t r = 0; r < 12; ++r) {
    const double* row = x.value().data() + r * 10;
    double mean = 0, var = 0;
    for (int k = 0; k < 10; ++k) mean += row[k] / 10;
    for (int k = 0; k < 10; ++k) var += (row[k] - mean) * (row[k] - mean) / 10;
    for (int k = 0; k < 10; ++k)
      CHECK(y.value().data()[r * 10 + k] == doctest::Approx((row[k] - mean) / std::sqrt(var + 1e-5) * w.value()(k) + b.value()(k)).epsilon(1e-12));
  }
}

TEST_CASE("layer_norm: float64 gradcheck, with and without affine, over one and two trailing dims") {
  auto x = tgtest::rand_var({2, 3, 20}, 4);  // rows longer than a vector: the SIMD body and its tail
  auto w = tgtest::rand_var({20}, 5), b = tgtest::rand_var({20}, 6);
  CHECK_GRADCHECK([](const V& in) { return tg::layer_norm(in[0], {20}, in[1], in[2]); }, {x, w, b});
  CHECK_GRADCHECK([](const V& in) { return tg::layer_norm(in[0], {3, 20}, Variable<double>(), Variable<double>()); }, {x});
  CHECK_GRADCHECK([](const V& in) { return tg::layer_norm(in[0], {20}, in[1], Variable<double>(), 1e-3); }, {x, w});
  auto small = tgtest::rand_var({4, 3}, 7);
  CHECK_GRADCHECK([](const V& in) { return tg::layer_norm(in[0], {3}, Variable<double>(), Variable<double>()); }, {small});
}

TEST_CASE("layer_norm: bad shapes are rejected") {
  Variable<double> x(Array<double>::from_shape({2, 3, 4}));
  CHECK_THROWS_WITH_AS(tg::layer_norm(x, {3}, Variable<double>(), Variable<double>()),
                       Contains("layer_norm: expected an input whose last dims are normalized_shape (3,), got (2, 3, 4)"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::layer_norm(x, {4}, Variable<double>(Array<double>::from_shape({3})), Variable<double>()),
                       Contains("expected weight of normalized_shape (4,), got (3,)"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::nn::LayerNormImpl(tg::nn::LayerNormOptions({0})), Contains("LayerNorm: normalized_shape must be positive"), tg::Error);
}

TEST_CASE("layer_norm agrees with LibTorch: float64 functional, float32 module") {
  tgtest::TextFixture fx("layer_norm");
  Variable<double> x(fx.array<double>("x"), true), w(fx.array<double>("weight"), true), b(fx.array<double>("bias"), true);
  auto y = F::layer_norm(x, F::LayerNormFuncOptions({5}).weight(w).bias(b));
  CHECK_AGREES(y.value(), fx.array<double>("affine.y"));
  y.backward(fx.array<double>("affine.gy"));
  CHECK_AGREES(x.grad(), fx.array<double>("affine.grad.x"));
  CHECK_AGREES(w.grad(), fx.array<double>("affine.grad.w"));
  CHECK_AGREES(b.grad(), fx.array<double>("affine.grad.b"));
  Variable<double> x2(fx.array<double>("x"), true);
  auto y2 = tg::layer_norm(x2, {4, 5}, Variable<double>(), Variable<double>(), 1e-3);
  CHECK_AGREES(y2.value(), fx.array<double>("plain.y"));
  y2.backward(fx.array<double>("plain.gy"));
  CHECK_AGREES(x2.grad(), fx.array<double>("plain.grad.x"));
  tg::nn::LayerNormImpl norm(tg::nn::LayerNormOptions({6}));
  CHECK_AGREES(norm.forward(Variable<float>(fx.array<float>("module.x"))).value<float>(), fx.array<float>("module.y"));
}

TEST_CASE("LayerNorm: parameters and printing as LibTorch") {
  tg::nn::LayerNormImpl norm(tg::nn::LayerNormOptions({4, 5}).eps(1e-3));
  CHECK(norm.weight.shape() == tg::Shape{4, 5});
  CHECK(norm.parameters().size() == 2);
  std::ostringstream out;
  out << norm << "|" << tg::nn::LayerNormImpl(tg::nn::LayerNormOptions({7}).elementwise_affine(false));
  CHECK(out.str() == "LayerNorm([4, 5], eps=0.001, elementwise_affine=true)|LayerNorm([7], eps=1e-05, elementwise_affine=false)");
}
