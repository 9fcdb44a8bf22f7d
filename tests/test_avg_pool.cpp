#include <sstream>

#include "check.hpp"
#include "text_fixtures.hpp"

using doctest::Contains;
using tg::Array;
using tg::Variable;
using V = std::vector<Variable<double>>;
namespace F = tg::nn::functional;

TEST_CASE("avg_pool2d: windows by hand, padding counted or not, ceil_mode") {
  Variable<double> x(Array<double>{{{{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}}}}, true);
  CHECK(tgtest::allclose(tg::avg_pool2d(x, 2).value(), Array<double>{{{{3.5, 5.5}}}}));
  // ceil_mode keeps the last, partial row of windows; with no padding it divides by what it covers.
  CHECK(tgtest::allclose(tg::avg_pool2d(x, {2, 2}, {2, 2}, {0, 0}, true).value(), Array<double>{{{{3.5, 5.5}, {9.5, 11.5}}}}));
  // Padding 1, 3x3 windows, stride 2: the corner window covers 4 values and counts 9 (or 4).
  auto padded = tg::avg_pool2d(x, {3, 3}, {2, 2}, {1, 1});
  CHECK(padded.value()(0, 0, 0, 0) == doctest::Approx((1 + 2 + 5 + 6) / 9.0));
  auto uncounted = tg::avg_pool2d(x, {3, 3}, {2, 2}, {1, 1}, false, false);
  CHECK(uncounted.value()(0, 0, 0, 0) == doctest::Approx((1 + 2 + 5 + 6) / 4.0));
  CHECK(tg::avg_pool2d(x, {2, 2}, {2, 2}, {0, 0}, false, true, 3).value()(0, 0, 0, 0) == doctest::Approx(14 / 3.0));
  // The gradient spreads each window's over the inputs it covers.
  auto y = tg::avg_pool2d(x, 2);
  y.backward(Array<double>{{{{4, 8}}}});
  CHECK(tgtest::allclose(x.grad(), Array<double>{{{{1, 1, 2, 2}, {1, 1, 2, 2}, {0, 0, 0, 0}}}}));
}

TEST_CASE("avg_pool2d, adaptive_avg_pool2d: float64 gradcheck") {
  auto x = tgtest::rand_var({2, 2, 5, 7}, 1);
  CHECK_GRADCHECK([](const V& in) { return tg::avg_pool2d(in[0], 2); }, {x});
  CHECK_GRADCHECK([](const V& in) { return tg::avg_pool2d(in[0], {3, 2}, {2, 1}, {1, 1}, true, false); }, {x});
  CHECK_GRADCHECK([](const V& in) { return tg::adaptive_avg_pool2d(in[0], {3, 4}); }, {x});
  CHECK_GRADCHECK([](const V& in) { return tg::adaptive_avg_pool2d(in[0], {6, 9}); }, {x});
}

TEST_CASE("avg_pool2d, adaptive_avg_pool2d: bad input is rejected") {
  Variable<double> x(Array<double>::from_shape({1, 2, 4, 4}));
  CHECK_THROWS_WITH_AS(tg::avg_pool2d(x, {2, 2}, {2, 2}, {2, 0}), Contains("avg_pool2d: padding (2, 0) must be at most half the kernel (2, 2)"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::avg_pool2d(x, {5, 2}), Contains("kernel (5, 2) is larger than the padded input (4, 4)"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::avg_pool2d(x, {2, 2}, {0, 1}), Contains("stride (0, 1) must be positive"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::avg_pool2d(Variable<double>(Array<double>::from_shape({4, 4})), 2), Contains("expected input (N, C, H, W) or (C, H, W), got (4, 4)"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::adaptive_avg_pool2d(Variable<double>(Array<double>::from_shape({2, 0, 3})), {1, 1}), Contains("non-empty plane"), tg::Error);
}

TEST_CASE("avg_pool2d, adaptive_avg_pool2d agree with LibTorch (float64, outputs and gradients)") {
  tgtest::TextFixture fx("avg_pool2d");
  using O = F::AvgPool2dFuncOptions;
  const std::pair<std::string, O> cases[] = {
      {"k2", O(2)},
      {"k3s2p1", O(3).stride(2).padding(1)},
      {"k3s2p1_ceil_nopad", O(3).stride(2).padding(1).ceil_mode(true).count_include_pad(false)},
      {"k23s12p11_ceil", O({2, 3}).stride({1, 2}).padding(1).ceil_mode(true)},
      {"k3s3_ceil", O(3).stride(3).ceil_mode(true)},
      {"k2_divisor3", O(2).divisor_override(3)}};
  for (const auto& [name, options] : cases) {
    const std::string& case_name = name;  // clang: CAPTURE cannot capture a structured binding
    CAPTURE(case_name);
    Variable<double> x(fx.array<double>("x"), true);
    auto y = F::avg_pool2d(x, options);
    CHECK_AGREES(y.value(), fx.array<double>(name + ".y"));
    y.backward(fx.array<double>(name + ".gy"));
    CHECK_AGREES(x.grad(), fx.array<double>(name + ".grad.x"));
  }
  for (auto [h, w] : {std::pair<std::size_t, std::size_t>{3, 4}, {1, 1}, {7, 9}, {10, 12}}) {
    const std::string name = "adaptive" + std::to_string(h) + "x" + std::to_string(w);
    CAPTURE(name);
    Variable<double> x(fx.array<double>("x"), true);
    auto y = F::adaptive_avg_pool2d(x, F::AdaptiveAvgPool2dFuncOptions({h, w}));
    CHECK_AGREES(y.value(), fx.array<double>(name + ".y"));
    y.backward(fx.array<double>(name + ".gy"));
    CHECK_AGREES(x.grad(), fx.array<double>(name + ".grad.x"));
  }
}

TEST_CASE("AvgPool2d, AdaptiveAvgPool2d modules: their ops, printed as LibTorch") {
  tg::manual_seed(1);
  Variable<float> x(tg::randn<float>({2, 3, 6, 6}));
  tg::nn::AvgPool2dImpl pool(tg::nn::AvgPool2dOptions(3).stride(2).padding(1));
  tg::nn::AdaptiveAvgPool2dImpl gap(1);
  CHECK(pool.forward(x).value<float>() == tg::avg_pool2d(x, 3, 2, 1).value());
  CHECK(gap.forward(x).value<float>() == tg::adaptive_avg_pool2d(x, {1, 1}).value());
  std::ostringstream out;
  out << pool << "|" << gap;
  CHECK(out.str() == "AvgPool2d(kernel_size=[3, 3], stride=[2, 2], padding=[1, 1])|AdaptiveAvgPool2d(output_size=[1, 1])");
}
