// lerp and lerp_ (ops/tensor_ops.hpp): torch's documented example, torch's two formulas (a weight of
// 1 gives end exactly), broadcasting, the moving average in place, gradients, and bad input.
#include "check.hpp"

using tg::Array;

using tgtest::as_double;

TEST_CASE("lerp: torch's example, a scalar or a tensor weight, broadcast") {
  const auto start = tg::arange(1., 5.), end = tg::full({4}, 10.);
  CHECK(tgtest::allclose(as_double(tg::lerp(start, end, 0.5)), Array<double>{5.5, 6, 6.5, 7}));
  CHECK(tgtest::allclose(as_double(start.lerp(end, tg::full_like(start, 0.5))), Array<double>{5.5, 6, 6.5, 7}));
  // end - (end - start) * (1 - w) from 0.5 on: w = 1 is end, bit for bit, where start + w * (end - start) is not.
  const auto a = tg::tensor({0.1f}), b = tg::tensor({0.7f});
  CHECK(a.lerp(b, 1.0).item<float>() == 0.7f);
  CHECK(a.lerp(b, tg::ones({1})).item<float>() == 0.7f);
  CHECK(a.lerp(b, 0.0).item<float>() == 0.1f);
  const auto w = tg::tensor({{0.0, 0.25, 1.0}}, tg::kFloat);  // (1, 3)
  const auto out = tg::lerp(tg::zeros({2, 1}), tg::full({3}, 4.), w);
  CHECK(out.sizes() == std::vector<std::int64_t>{2, 3});
  CHECK(tgtest::allclose(as_double(out), Array<double>{{0, 1, 4}, {0, 1, 4}}));
}

TEST_CASE("lerp_: an exponential moving average in place") {
  auto ema = tg::zeros({3});
  ema.lerp_(tg::ones({3}), 0.1);
  ema.lerp_(tg::ones({3}), tg::full({3}, 0.1));
  CHECK(tgtest::allclose(as_double(ema), Array<double>{0.19, 0.19, 0.19}, 1e-6));
  auto p = tg::ones({2}, tg::requires_grad());
  CHECK(tgtest::contains(tgtest::error_of([&] { ema.lerp_(p.sum().expand({3}), 0.5); }),
                         "lerp_: end requires grad"));
  CHECK(tgtest::contains(tgtest::error_of([&] { p.lerp_(tg::ones({2}), 0.5); }),
                         "lerp_: in-place op on a leaf that requires grad"));
  CHECK(tgtest::contains(tgtest::error_of([&] { ema.lerp_(tg::ones({2, 3}), 0.5); }),
                         "lerp_: the result's shape (2, 3) differs from this tensor's (3,)"));
}

TEST_CASE("lerp: gradients of start, end and the weight, on both sides of 0.5") {
  auto start = tgtest::rand_var({2, 3}, 51), end = tgtest::rand_var({2, 3}, 52);
  tg::Variable<double> weight(Array<double>{{0.1, 0.4, 0.5}, {0.6, 0.9, 1.3}}, true);
  CHECK_GRADCHECK([](const std::vector<tg::Variable<double>>& in) {
    return tg::lerp(tg::Tensor(in[0]), tg::Tensor(in[1]), tg::Tensor(in[2])).variable<double>();
  }, {start, end, weight});
  CHECK_GRADCHECK([](const std::vector<tg::Variable<double>>& in) {
    return tg::lerp(tg::Tensor(in[0]), tg::Tensor(in[1]), 0.75).variable<double>();
  }, {start, end});
  CHECK_GRADCHECK([](const std::vector<tg::Variable<double>>& in) {
    return tg::lerp(tg::Tensor(in[0]), tg::Tensor(in[1]), 0.25).variable<double>();
  }, {start, end});
}

TEST_CASE("lerp: an integer input and operands of another dtype throw") {
  CHECK(tgtest::contains(tgtest::error_of([] { tg::lerp(tg::ones({2}, tg::kLong), tg::ones({2}, tg::kLong), 0.5); }),
                         "lerp: expected a floating input, got dtype Long"));
  CHECK(tgtest::contains(tgtest::error_of([] { tg::lerp(tg::ones({2}), tg::ones({2}, tg::kDouble), 0.5); }),
                         "lerp: expected end of dtype Float (the input's), got Double"));
  CHECK(tgtest::contains(tgtest::error_of([] { tg::lerp(tg::ones({2}), tg::ones({2}), tg::ones({2}, tg::kDouble)); }),
                         "lerp: expected weight of dtype Float (the input's), got Double"));
}
