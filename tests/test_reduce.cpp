#include "check.hpp"

#include <cmath>
#include <limits>

#include <xtensor/xbuilder.hpp>

using tg::Array;
using tg::Variable;
using V = std::vector<Variable<double>>;

namespace {

// 0, 1, ..., 23 as a (2, 3, 4) tensor: x(i, j, k) = 12 i + 4 j + k.
Variable<double> arange_234(bool requires_grad = false) {
  Array<double> v = xt::arange<double>(24.0);
  v.reshape({2, 3, 4});
  return Variable<double>(std::move(v), requires_grad);
}

// `flat` given the shape `shape` (brace lists like {{6}, {15}} are ambiguous to xtensor).
template <class T>
Array<T> shaped(Array<T> flat, const tg::Shape& shape) {
  flat.reshape(shape);
  return flat;
}

}  // namespace

TEST_CASE("sum and mean of every element: a 0-d tensor") {
  Variable<double> x(Array<double>{{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}}, true);
  auto s = tg::sum(x);
  CHECK(s.shape() == tg::Shape{});
  CHECK(s.item() == 21.0);
  auto m = tg::mean(x);
  CHECK(m.shape() == tg::Shape{});
  CHECK(m.item() == 3.5);
  m.backward();
  CHECK(tgtest::allclose(x.grad(), Array<double>(xt::full_like(x.value(), 1.0 / 6))));
  x.zero_grad();
  tg::sum(x).backward();
  CHECK(tgtest::allclose(x.grad(), Array<double>(xt::ones_like(x.value()))));

  // A 0-d input reduces to itself.
  auto s0 = tg::sum(tg::sum(x));
  CHECK(s0.shape() == tg::Shape{});
  CHECK(s0.item() == 21.0);
}

TEST_CASE("sum and mean over dims of a 2x3, by hand") {
  Variable<float> x(Array<float>{{1.f, 2.f, 3.f}, {4.f, 5.f, 6.f}});
  CHECK(tgtest::allclose(tg::sum(x, {0}).value(), Array<float>{5.f, 7.f, 9.f}));
  CHECK(tgtest::allclose(tg::sum(x, {1}).value(), Array<float>{6.f, 15.f}));
  CHECK(tgtest::allclose(tg::sum(x, {-1}, true).value(), shaped(Array<float>{6.f, 15.f}, {2, 1})));
  CHECK(tgtest::allclose(tg::sum(x, {-2}, true).value(), Array<float>{{5.f, 7.f, 9.f}}));
  CHECK(tg::sum(x, {0, 1}).shape() == tg::Shape{});
  CHECK(tg::sum(x, {0, 1}).item() == 21.f);
  CHECK(tgtest::allclose(tg::sum(x, {1, 0}, true).value(), shaped(Array<float>{21.f}, {1, 1})));
  CHECK(tgtest::allclose(tg::mean(x, {0}).value(), Array<float>{2.5f, 3.5f, 4.5f}));
  CHECK(tgtest::allclose(tg::mean(x, {-1}).value(), Array<float>{2.f, 5.f}));
  CHECK(tgtest::allclose(tg::mean(x, {1}, true).value(), shaped(Array<float>{2.f, 5.f}, {2, 1})));
}

TEST_CASE("sum over dims of a 3-D tensor, by hand: contiguous and split runs of dims") {
  auto x = arange_234(true);
  // Over (0, 2): sum over i, k of 12 i + 4 j + k = 60 + 32 j.
  CHECK(tgtest::allclose(tg::sum(x, {0, 2}).value(), Array<double>{60.0, 92.0, 124.0}));
  auto kept = tg::sum(x, {2, -3}, true);
  CHECK(kept.shape() == tg::Shape{1, 3, 1});
  CHECK(tgtest::allclose(kept.value(), shaped(Array<double>{60.0, 92.0, 124.0}, {1, 3, 1})));
  // Over (1, 2): 144 i + 66.
  CHECK(tgtest::allclose(tg::sum(x, {1, 2}).value(), Array<double>{66.0, 210.0}));
  // Over the middle dim: 12 i + k times 3, plus 4 (0 + 1 + 2).
  CHECK(tgtest::allclose(tg::mean(x, {1}).value(), Array<double>{{4.0, 5.0, 6.0, 7.0}, {16.0, 17.0, 18.0, 19.0}}));

  // The gradient is g copied along the reduced dims (times 1/count for mean).
  auto m = tg::mean(x, {0, 2});
  m.backward(Array<double>{8.0, 16.0, 24.0});
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t j = 0; j < 3; ++j)
      for (std::size_t k = 0; k < 4; ++k) CHECK(x.grad()(i, j, k) == 8.0 * (j + 1) / 8);
}

TEST_CASE("long sums: row sums with a tail, and column sums of a tall matrix") {
  // 0 + 1 + ... + 1002 = 1003 * 1002 / 2, exact in double; 1003 is not a multiple of the 8 partial sums.
  Variable<double> r(Array<double>(xt::arange<double>(1003.0)));
  CHECK(tg::sum(r).item() == 502503.0);
  Variable<float> tall(Array<float>(xt::ones<float>({1000, 37})));
  CHECK(tgtest::allclose(tg::sum(tall, {0}).value(), Array<float>(xt::full_like(xt::ones<float>({37}), 1000.f))));
  CHECK(tgtest::allclose(tg::mean(tall, {1}).value(), Array<float>(xt::ones<float>({1000}))));
}

TEST_CASE("amax and max along a dim, by hand, with ties") {
  Variable<double> x(Array<double>{{1.0, 3.0, 3.0}, {5.0, 2.0, -1.0}}, true);
  auto a = tg::amax(x, 1);
  CHECK(tgtest::allclose(a.value(), Array<double>{3.0, 5.0}));
  a.backward(Array<double>{1.0, 2.0});
  CHECK(tgtest::allclose(x.grad(), Array<double>{{0.0, 0.5, 0.5}, {2.0, 0.0, 0.0}}));  // ties split evenly
  CHECK(tgtest::allclose(tg::amax(x, 0, true).value(), Array<double>{{5.0, 3.0, 3.0}}));

  x.zero_grad();
  auto m = tg::max(x, -1);
  CHECK(tgtest::allclose(m.values.value(), Array<double>{3.0, 5.0}));
  CHECK(m.indices == tg::Labels{1, 0});  // the first of tied maxima
  m.values.backward(Array<double>{1.0, 2.0});
  CHECK(tgtest::allclose(x.grad(), Array<double>{{0.0, 1.0, 0.0}, {2.0, 0.0, 0.0}}));

  auto k = tg::max(x, 0, true);
  CHECK(k.values.shape() == tg::Shape{1, 3});
  CHECK(k.indices == tg::Labels{{1, 0, 0}});
}

TEST_CASE("max adds into a gradient the input already has") {
  Variable<double> x(Array<double>{{1.0, 4.0}, {3.0, 2.0}}, true);
  auto from_max = tg::sum(tg::max(x, 1).values);
  auto from_sum = tg::sum(x);  // recorded later, so its backward runs first and max's adds to it
  (from_max + from_sum).backward();
  CHECK(tgtest::allclose(x.grad(), Array<double>{{1.0, 2.0}, {2.0, 1.0}}));
}

TEST_CASE("amax and max: NaN is the largest value and is never dropped") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Variable<double> x(Array<double>{1.0, nan, 2.0, nan}, true);
  auto a = tg::amax(x, 0);
  CHECK(std::isnan(a.item()));
  a.backward();
  CHECK(tgtest::allclose(x.grad(), Array<double>{0.0, 0.5, 0.0, 0.5}));  // the NaNs tie
  auto m = tg::max(x, 0);
  CHECK(std::isnan(m.values.item()));
  CHECK(m.indices() == 1);
}

TEST_CASE("reduction gradchecks: every dims and keepdim variant of a 3-D input") {
  auto x = tgtest::rand_var({2, 3, 4}, 31);
  CHECK_GRADCHECK([](const V& in) { return tg::sum(in[0]); }, {x});
  CHECK_GRADCHECK([](const V& in) { return tg::mean(in[0]); }, {x});
  const std::vector<std::vector<std::ptrdiff_t>> all_dims{{0}, {1}, {2}, {-1}, {0, 1}, {0, 2},
                                                          {1, 2}, {-1, 0}, {0, 1, 2}, {2, -2, 0}};
  for (const auto& dims : all_dims)
    for (bool keepdim : {false, true}) {
      CAPTURE(tg::shape_str(dims));
      CAPTURE(keepdim);
      CHECK_GRADCHECK([&](const V& in) { return tg::sum(in[0], dims, keepdim); }, {x});
      CHECK_GRADCHECK([&](const V& in) { return tg::mean(in[0], dims, keepdim); }, {x});
    }
  // Random values have no ties, where amax and max are differentiable.
  for (std::ptrdiff_t dim : {0, 1, 2, -1, -3})
    for (bool keepdim : {false, true}) {
      CAPTURE(dim);
      CAPTURE(keepdim);
      CHECK_GRADCHECK([&](const V& in) { return tg::amax(in[0], dim, keepdim); }, {x});
      CHECK_GRADCHECK([&](const V& in) { return tg::max(in[0], dim, keepdim).values; }, {x});
    }
  auto scalar = tgtest::rand_var({}, 32);
  CHECK_GRADCHECK([](const V& in) { return tg::mean(in[0]) * tg::sum(in[0]); }, {scalar});
}

TEST_CASE("reductions: bad dims throw, naming the op") {
  Variable<float> x(Array<float>::from_shape({2, 3}));
  CHECK_THROWS_WITH_AS(tg::sum(x, {2}), doctest::Contains("sum: dim 2 is out of range for a tensor of rank 2"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::mean(x, {-3}), doctest::Contains("mean: dim -3 is out of range"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::sum(x, {1, -1}),
                       doctest::Contains("sum: dims (1, -1) name dim 1 more than once for an input of shape (2, 3)"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::mean(x, {0, 0}), doctest::Contains("mean: dims (0, 0) name dim 0 more than once"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::sum(x, {}), doctest::Contains("sum: expected at least one dim"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::mean(x, {}), doctest::Contains("mean: expected at least one dim"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::amax(x, 2), doctest::Contains("amax: dim 2 is out of range"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::max(x, -3), doctest::Contains("max: dim -3 is out of range"), tg::Error);
  Variable<float> empty(Array<float>::from_shape({2, 0}));
  CHECK_THROWS_WITH_AS(tg::max(empty, 1),
                       doctest::Contains("max: cannot take the max over dim 1 of size 0 (input shape (2, 0)"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::amax(empty, -1), doctest::Contains("amax: cannot take the max over dim 1"), tg::Error);
  CHECK(tgtest::allclose(tg::sum(empty, {1}).value(), Array<float>{0.f, 0.f}));  // a sum of nothing is 0
  CHECK(tg::max(empty, 0).values.shape() == tg::Shape{0});
}

TEST_CASE("norm: values against a loop, for p = 1, 2, 3 and 0.5, over every element and over dims") {
  const Variable<double> x = tgtest::rand_var({2, 3, 4}, 41);
  const Array<double>& v = x.value();
  for (double p : {1.0, 2.0, 3.0, 0.5}) {
    CAPTURE(p);
    double all = 0;
    for (double e : v) all += std::pow(std::abs(e), p);
    CHECK(tg::norm(x, p).shape() == tg::Shape{});
    CHECK(tg::norm(x, p).item() == doctest::Approx(std::pow(all, 1 / p)).epsilon(1e-14));
    // Over dims (0, 2), keeping them: one norm per j.
    const auto n = tg::norm(x, p, {0, 2}, true);
    CHECK(n.shape() == tg::Shape{1, 3, 1});
    for (std::size_t j = 0; j < 3; ++j) {
      double s = 0;
      for (std::size_t i = 0; i < 2; ++i)
        for (std::size_t k = 0; k < 4; ++k) s += std::pow(std::abs(v(i, j, k)), p);
      CHECK(n.value()(0, j, 0) == doctest::Approx(std::pow(s, 1 / p)).epsilon(1e-14));
    }
    CHECK(tg::norm(x, p, {-1}).shape() == tg::Shape{2, 3});
  }
}

TEST_CASE("norm: gradchecks for p = 1, 2, 3 and 1.5, every dims and keepdim variant") {
  auto x = tgtest::rand_var({2, 3, 4}, 42);
  for (double p : {1.0, 2.0, 3.0, 1.5}) {
    CAPTURE(p);
    CHECK_GRADCHECK([&](const V& in) { return tg::norm(in[0], p); }, {x});
    for (const std::vector<std::ptrdiff_t>& dims : {std::vector<std::ptrdiff_t>{0}, {1, 2}, {-1, 0}})
      for (bool keepdim : {false, true}) {
        CAPTURE(tg::shape_str(dims));
        CAPTURE(keepdim);
        CHECK_GRADCHECK([&](const V& in) { return tg::norm(in[0], p, dims, keepdim); }, {x});
      }
  }
}

TEST_CASE("norm: the gradient is 0 where the norm or the element is 0, and bad p throws") {
  Variable<double> x(Array<double>{{0.0, 0.0}, {3.0, -4.0}}, true);
  tg::sum(tg::norm(x, 2.0, {1})).backward();
  CHECK(tgtest::allclose(x.grad(), Array<double>{{0.0, 0.0}, {0.6, -0.8}}));
  for (double p : {1.0, 1.5, 3.0}) {
    Variable<double> z(Array<double>{0.0, 2.0, -1.0}, true);
    tg::norm(z, p).backward();
    CHECK(z.grad()(0) == 0.0);
    CHECK(std::isfinite(z.grad()(1)));
  }
  Variable<double> y(Array<double>{1.0, -2.0});
  CHECK_THROWS_WITH_AS(tg::norm(y, 0.0), doctest::Contains("norm: expected a finite p > 0, got p = 0"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::norm(y, std::numeric_limits<double>::infinity()),
                       doctest::Contains("for p = inf take amax(abs(x))"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::norm(y, 2.0, {1}), doctest::Contains("norm: dim 1 is out of range"), tg::Error);
}
