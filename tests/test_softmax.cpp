#include "check.hpp"
#include "text_fixtures.hpp"

#include <cmath>
#include <limits>

using tg::Array;
using tg::Variable;
using tgtest::e;
using tgtest::ln2;
using tgtest::ln3;
using tgtest::ln4;
using tgtest::rand_var;
using V = std::vector<Variable<double>>;

namespace {

template <class T>
bool all_finite(const Array<T>& t) {
  return std::all_of(t.begin(), t.end(), [](T v) { return std::isfinite(v); });
}

}  // namespace

TEST_CASE("softmax family of [0, ln 3]: values and gradients by hand") {
  Variable<double> x(Array<double>{0, ln3}, true);
  CHECK(tgtest::allclose(tg::softmax(x, 0).value(), Array<double>{0.25, 0.75}));
  CHECK(tgtest::allclose(tg::log_softmax(x, -1).value(), Array<double>{-ln4, ln3 - ln4}));
  CHECK(tg::logsumexp(x, 0).item() == doctest::Approx(ln4));

  // log_softmax: g - softmax * sum(g) = [1, 0] - [0.25, 0.75]
  tg::log_softmax(x, 0).backward(Array<double>{1, 0});
  CHECK(tgtest::allclose(x.grad(), Array<double>{0.75, -0.75}));
  // softmax: y * (g - <g, y>) = [0.25 * 0.75, 0.75 * -0.25]
  x.zero_grad();
  tg::softmax(x, 0).backward(Array<double>{1, 0});
  CHECK(tgtest::allclose(x.grad(), Array<double>{0.1875, -0.1875}));
  // logsumexp: g * softmax
  x.zero_grad();
  tg::logsumexp(x, 0).backward(Array<double>(2.0));
  CHECK(tgtest::allclose(x.grad(), Array<double>{0.5, 1.5}));
}

TEST_CASE("softmax family of a 2x2, along each dim, with keepdim") {
  Variable<float> x(Array<float>{{0.f, float(ln3)}, {1.f, 1.f}});
  CHECK(tgtest::allclose(tg::softmax(x, 1).value(), Array<float>{{0.25f, 0.75f}, {0.5f, 0.5f}}));
  CHECK(tgtest::allclose(tg::log_softmax(x, -1).value(),
                         Array<double>{{-ln4, ln3 - ln4}, {-ln2, -ln2}}));
  CHECK(tgtest::allclose(tg::logsumexp(x, 1).value(), Array<double>{ln4, 1 + ln2}));
  auto kept = tg::logsumexp(x, -1, /*keepdim=*/true);
  CHECK(kept.shape() == tg::Shape{2, 1});
  Array<double> kept_expected{ln4, 1 + ln2};
  kept_expected.reshape(tg::Shape{2, 1});
  CHECK(tgtest::allclose(kept.value(), kept_expected));

  // dim 0: the columns are (0, 1) and (ln 3, 1)
  CHECK(tgtest::allclose(tg::logsumexp(x, 0).value(), Array<double>{std::log(1 + e), std::log(3 + e)}));
  CHECK(tgtest::allclose(tg::logsumexp(x, -2, true).value(), Array<double>{{std::log(1 + e), std::log(3 + e)}}));
  CHECK(tgtest::allclose(tg::softmax(x, 0).value(),
                         Array<double>{{1 / (1 + e), 3 / (3 + e)}, {e / (1 + e), e / (3 + e)}}));
  CHECK(tgtest::allclose(tg::log_softmax(x, 0).value(),
                         Array<double>{{-std::log(1 + e), ln3 - std::log(3 + e)},
                                        {1 - std::log(1 + e), 1 - std::log(3 + e)}}));
}

TEST_CASE("softmax family in float on rows long enough for SIMD, against std::exp") {
  // 19 = two 8-wide float batches and a tail of 3
  Array<float> v = tgtest::rand_var({4, 19}, 11, -5, 5).value();
  Variable<float> x(v);
  const auto lse = tg::logsumexp(x, 1).value();
  const auto ls = tg::log_softmax(x, 1).value();
  const auto sm = tg::softmax(x, 1).value();
  for (std::size_t i = 0; i < 4; ++i) {
    double sum = 0;
    for (std::size_t j = 0; j < 19; ++j) sum += std::exp(double(v(i, j)));
    CHECK(lse(i) == doctest::Approx(std::log(sum)).epsilon(1e-6));
    for (std::size_t j = 0; j < 19; ++j) {
      CHECK(ls(i, j) == doctest::Approx(v(i, j) - std::log(sum)).epsilon(1e-5));
      CHECK(sm(i, j) == doctest::Approx(std::exp(double(v(i, j))) / sum).epsilon(1e-5));
    }
  }
}

TEST_CASE_TEMPLATE("softmax family stays finite at logits of +-1000", T, float, double) {
  // At 1000 a float's spacing is 6e-5: logsumexp's value (1000 + ln 2) rounds by that much. The
  // others are shifted by max and log-sum in turn and need no such slack.
  const double rtol = 1e-5, atol = 1e-4;
  // Three entries (the scalar loop) and eleven (SIMD batches plus a tail).
  Variable<T> short_rows(Array<T>{{1000, -1000, 1000}, {-1000, -1000, -1000}});
  CHECK(tgtest::allclose(tg::logsumexp(short_rows, 1).value(), Array<double>{1000 + ln2, -1000 + ln3}, rtol, atol));
  CHECK(tgtest::allclose(tg::log_softmax(short_rows, 1).value(),
                         Array<double>{{-ln2, -2000 - ln2, -ln2}, {-ln3, -ln3, -ln3}}));
  CHECK(tgtest::allclose(tg::softmax(short_rows, 1).value(), Array<double>{{0.5, 0, 0.5}, {1. / 3, 1. / 3, 1. / 3}}));

  Array<T> v = Array<T>::from_shape({3, 11});
  v.fill(T(-1000));
  for (std::size_t j = 0; j < 11; ++j) v(0, j) = 1000;
  v(2, 9) = 1000;  // one large logit among -1000s, in the tail
  Variable<T> x(v);
  const auto lse = tg::logsumexp(x, -1).value();
  CHECK(tgtest::allclose(lse, Array<double>{1000 + std::log(11.0), -1000 + std::log(11.0), 1000}, rtol, atol));
  const auto ls = tg::log_softmax(x, -1).value();
  const auto sm = tg::softmax(x, -1).value();
  CHECK(all_finite(ls));
  CHECK(all_finite(sm));
  CHECK(ls(2, 9) == 0);
  CHECK(ls(0, 3) == doctest::Approx(-std::log(11.0)));
  CHECK(ls(2, 0) == doctest::Approx(-2000));
  CHECK(sm(1, 4) == doctest::Approx(1.0 / 11));
  CHECK(sm(2, 9) == doctest::Approx(1));
  CHECK(sm(2, 10) == 0);
}

TEST_CASE("logsumexp of infinite rows follows torch") {
  const double inf = std::numeric_limits<double>::infinity();
  Variable<double> x(Array<double>{{-inf, -inf}, {inf, 0}, {-inf, 0}});
  const auto lse = tg::logsumexp(x, 1).value();
  CHECK(lse(0) == -inf);
  CHECK(lse(1) == inf);
  CHECK(lse(2) == 0);
  CHECK(tg::softmax(x, 1).value()(2, 0) == 0);
  CHECK(tg::logsumexp(Variable<double>(Array<double>::from_shape({2, 0})), 1).value()(1) == -inf);
}

TEST_CASE("softmax family gradchecks: every dim of a 3-D input, keepdim, negative dims") {
  auto x = rand_var({2, 3, 5}, 12, -2, 2);
  for (int dim : {0, 1, 2, -1, -2, -3}) {
    CAPTURE(dim);
    CHECK_GRADCHECK([dim](const V& in) { return tg::softmax(in[0], dim); }, {x});
    CHECK_GRADCHECK([dim](const V& in) { return tg::log_softmax(in[0], dim); }, {x});
    CHECK_GRADCHECK([dim](const V& in) { return tg::logsumexp(in[0], dim); }, {x});
    CHECK_GRADCHECK([dim](const V& in) { return tg::logsumexp(in[0], dim, true); }, {x});
  }
}

TEST_CASE("softmax family gradchecks: (N, C) rows with SIMD batches and a tail, 1-D, accumulation") {
  auto x = rand_var({3, 7}, 13, -3, 3);  // 7 doubles = one 4-wide batch and a tail of 3
  CHECK_GRADCHECK([](const V& in) { return tg::softmax(in[0], 1); }, {x});
  CHECK_GRADCHECK([](const V& in) { return tg::log_softmax(in[0], 1); }, {x});
  CHECK_GRADCHECK([](const V& in) { return tg::logsumexp(in[0], 1); }, {x});
  // x used twice: the second backward adds into the gradient buffer the first wrote
  CHECK_GRADCHECK([](const V& in) { return tg::logsumexp(in[0], 1) * tg::logsumexp(in[0], -1); }, {x});
  CHECK_GRADCHECK([](const V& in) { return tg::softmax(in[0], 0) * tg::log_softmax(in[0], 0); }, {x});
  auto v = rand_var({9}, 14);
  CHECK_GRADCHECK([](const V& in) { return tg::softmax(in[0], 0); }, {v});
  CHECK_GRADCHECK([](const V& in) { return tg::log_softmax(in[0], -1); }, {v});
  CHECK_GRADCHECK([](const V& in) { return tg::logsumexp(in[0], 0, true); }, {v});
}

TEST_CASE("softmax family: bad dims throw naming the op") {
  Variable<float> x(Array<float>::from_shape({2, 3}));
  CHECK_THROWS_WITH_AS(tg::softmax(x, 2), doctest::Contains("softmax: dim 2 is out of range for a tensor of rank 2"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::log_softmax(x, -3), doctest::Contains("log_softmax: dim -3"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::logsumexp(x, 5, true), doctest::Contains("logsumexp: dim 5"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::softmax(Variable<float>(Array<float>(1.f)), 0), doctest::Contains("softmax:"), tg::Error);
}

TEST_CASE("softmax and log_softmax with a dtype convert the input first, as LibTorch") {
  namespace F = tg::nn::functional;
  const tgtest::TextFixture fx("glu_threshold_rrelu_instance_norm3d");
  // A Float input taken to Double: LibTorch's result. The float and double tapes are separate, so a
  // Float input that requires grad cannot be converted on the tape (to() says so).
  const std::vector<std::string> names{"softmax_dtype", "log_softmax_dtype"};
  for (const std::string& name : names) {
    CAPTURE(name);
    const tg::Tensor x(fx.array<float>("softmax_dtype.x"));
    const tg::Tensor y = name == "softmax_dtype" ? F::softmax(x, F::SoftmaxFuncOptions(1).dtype(tg::kFloat64))
                                                 : F::log_softmax(x, F::LogSoftmaxFuncOptions(0).dtype(tg::kFloat64));
    CHECK(y.scalar_type() == tg::kDouble);
    CHECK_AGREES(y.value<double>(), fx.array<double>(name + ".y"));
  }
  const tg::Tensor leaf(fx.array<float>("softmax_dtype.x"), true);
  CHECK_THROWS_WITH_AS(tg::softmax(leaf, 1, tg::kDouble), doctest::Contains("to: converting a Float tensor that requires grad"),
                       tg::Error);
  // The three spellings agree; a Long input works with a floating dtype, as LibTorch's.
  const tg::Tensor x(fx.array<float>("softmax_dtype.x"));
  const tg::Tensor by_function = tg::softmax(x, 1, tg::kDouble);
  CHECK(by_function.value<double>() == x.softmax(1, tg::kDouble).value<double>());
  CHECK(by_function.value<double>() == F::softmax(x, F::SoftmaxFuncOptions(1).dtype(tg::kDouble)).value<double>());
  CHECK(x.log_softmax(0, tg::kDouble).value<double>() == tg::log_softmax(x.to(tg::kDouble), 0).value<double>());
  CHECK(x.softmax(1).scalar_type() == tg::kFloat);
  const tg::Tensor labels(fx.array<std::int64_t>("softmax_long.x"));
  CHECK_AGREES(tg::softmax(labels, 1, tg::kFloat).value<float>(), fx.array<float>("softmax_long.y"));
  CHECK_THROWS_WITH_AS(tg::softmax(labels, 1), doctest::Contains("softmax"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::softmax(x, 1, tg::kLong), doctest::Contains("softmax"), tg::Error);
  // A Variable<T> keeps its type: only T's own dtype is accepted.
  const Variable<float> v(fx.array<float>("softmax_dtype.x"));
  CHECK(F::softmax(v, F::SoftmaxFuncOptions(1).dtype(tg::kFloat)).value() == tg::softmax(v, 1).value());
  CHECK_THROWS_WITH_AS(F::log_softmax(v, F::LogSoftmaxFuncOptions(1).dtype(tg::kDouble)),
                       doctest::Contains("log_softmax: a Variable<Float> cannot be converted to the dtype Double; use a Tensor"),
                       tg::Error);
}
