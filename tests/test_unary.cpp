#include "check.hpp"

#include <cmath>
#include <limits>

using tg::Array;
using tg::Variable;
using V = std::vector<Variable<double>>;

TEST_CASE("exp, log, sqrt, pow: values and gradients by hand") {
  const double e = std::exp(1.0), ln2 = std::log(2.0);
  const Array<double> g{1.0, 1.0, 2.0};

  Variable<double> a(Array<double>{0.0, 1.0, ln2}, true);
  auto ea = tg::exp(a);
  CHECK(tgtest::allclose(ea.value(), Array<double>{1.0, e, 2.0}));
  ea.backward(g);
  CHECK(tgtest::allclose(a.grad(), Array<double>{1.0, e, 4.0}));

  Variable<double> b(Array<double>{1.0, e, 4.0}, true);
  auto lb = tg::log(b);
  CHECK(tgtest::allclose(lb.value(), Array<double>{0.0, 1.0, 2 * ln2}));
  lb.backward(g);
  CHECK(tgtest::allclose(b.grad(), Array<double>{1.0, 1 / e, 0.5}));

  Variable<double> c(Array<double>{1.0, 4.0, 9.0}, true);
  auto sc = tg::sqrt(c);
  CHECK(tgtest::allclose(sc.value(), Array<double>{1.0, 2.0, 3.0}));
  sc.backward(g);
  CHECK(tgtest::allclose(c.grad(), Array<double>{0.5, 0.25, 2.0 / 6.0}));

  Variable<double> d(Array<double>{-1.0, 2.0, 3.0}, true);
  auto cube = tg::pow(d, 3);  // an int exponent for a double tensor
  CHECK(tgtest::allclose(cube.value(), Array<double>{-1.0, 8.0, 27.0}));
  cube.backward(g);
  CHECK(tgtest::allclose(d.grad(), Array<double>{3.0, 12.0, 54.0}));
}

TEST_CASE("pow: fractional, negative and zero exponents, in float") {
  Variable<float> x(Array<float>{4.f, 0.25f}, true);
  auto r = tg::pow(x, 0.5);
  CHECK(tgtest::allclose(r.value(), Array<float>{2.f, 0.5f}));
  r.backward(Array<float>{1.f, 1.f});
  CHECK(tgtest::allclose(x.grad(), Array<float>{0.25f, 1.f}));

  x.zero_grad();
  auto inv = tg::pow(x, -1);
  CHECK(tgtest::allclose(inv.value(), Array<float>{0.25f, 4.f}));
  inv.backward(Array<float>{1.f, 1.f});
  CHECK(tgtest::allclose(x.grad(), Array<float>{-1.f / 16, -16.f}));

  // x^0 = 1 everywhere and its gradient is 0, also at x = 0 where the general formula gives NaN.
  Variable<float> z(Array<float>{0.f, -2.f, 3.f}, true);
  auto one = tg::pow(z, 0);
  CHECK(tgtest::allclose(one.value(), Array<float>{1.f, 1.f, 1.f}));
  one.backward(Array<float>{1.f, 1.f, 1.f});
  CHECK(tgtest::allclose(z.grad(), Array<float>{0.f, 0.f, 0.f}));
}

TEST_CASE("outside the domain the result is NaN or infinite, not an error (as torch)") {
  const double inf = std::numeric_limits<double>::infinity();
  Variable<double> x(Array<double>{-1.0, 0.0});
  Array<double> l, s, p;
  CHECK_NOTHROW(l = tg::log(x).value());
  CHECK_NOTHROW(s = tg::sqrt(x).value());
  CHECK_NOTHROW(p = tg::pow(x, 0.5).value());
  CHECK(std::isnan(l(0)));
  CHECK(l(1) == -inf);
  CHECK(std::isnan(s(0)));
  CHECK(s(1) == 0.0);
  CHECK(std::isnan(p(0)));
  CHECK(tg::exp(Variable<double>(Array<double>{-inf, 1000.0})).value() == Array<double>{0.0, inf});
}

TEST_CASE("unary gradchecks on 3-D inputs") {
  auto any = tgtest::rand_var({2, 3, 4}, 21, -2.0, 2.0);
  auto pos = tgtest::rand_var({2, 3, 4}, 22, 0.5, 2.0);
  CHECK_GRADCHECK([](const V& in) { return tg::exp(in[0]); }, {any});
  CHECK_GRADCHECK([](const V& in) { return tg::log(in[0]); }, {pos});
  CHECK_GRADCHECK([](const V& in) { return tg::sqrt(in[0]); }, {pos});
  for (double p : {2.0, 3.0, 0.5, -1.0, -1.5, 1.0, 0.0}) {
    CAPTURE(p);
    CHECK_GRADCHECK([p](const V& in) { return tg::pow(in[0], p); }, {pos});
  }
  // Integer exponents are defined for negative inputs too.
  CHECK_GRADCHECK([](const V& in) { return tg::pow(in[0], 3); }, {any});
  CHECK_GRADCHECK([](const V& in) { return tg::log(tg::exp(in[0]) + 1.0) * tg::sqrt(tg::exp(in[0])); }, {any});
}

TEST_CASE("sign, sin, cos, reciprocal, rsqrt: values, gradchecks, edges as torch") {
  Variable<double> x(Array<double>{-2.0, 0.0, 0.5, NAN}, true);
  CHECK(tgtest::allclose(tg::sign(x).value(), Array<double>{-1.0, 0.0, 1.0, 0.0}));  // torch 1.13: sign(nan) = 0
  tg::sum(tg::sign(x)).backward();
  CHECK(x.grad() == Array<double>{0.0, 0.0, 0.0, 0.0});
  // torch.rsqrt([4, 0, -1]) = [0.5, inf, nan]; torch.reciprocal([2, 0, -0.]) = [0.5, inf, -inf].
  const Array<double> r = tg::rsqrt(Variable<double>(Array<double>{4.0, 0.0, -1.0})).value();
  CHECK(r(0) == 0.5);
  CHECK(r(1) == INFINITY);
  CHECK(std::isnan(r(2)));
  CHECK(tg::reciprocal(Variable<double>(Array<double>{2.0, 0.0, -0.0})).value() == Array<double>{0.5, INFINITY, -INFINITY});
  CHECK(tgtest::allclose(tg::sin(Variable<double>(Array<double>{0.0, 1.0})).value(), Array<double>{0.0, std::sin(1.0)}));
  CHECK(tgtest::allclose(tg::cos(Variable<double>(Array<double>{0.0, 1.0})).value(), Array<double>{1.0, std::cos(1.0)}));

  auto any = tgtest::rand_var({2, 3, 4}, 23, -2.0, 2.0);
  auto pos = tgtest::rand_var({2, 3, 4}, 24, 0.5, 2.0);
  CHECK_GRADCHECK([](const V& in) { return tg::sin(in[0]); }, {any});
  CHECK_GRADCHECK([](const V& in) { return tg::cos(in[0]); }, {any});
  CHECK_GRADCHECK([](const V& in) { return tg::reciprocal(in[0]); }, {pos});
  CHECK_GRADCHECK([](const V& in) { return tg::rsqrt(in[0]); }, {pos});
  CHECK_GRADCHECK([](const V& in) { return tg::sign(in[0]) * in[0]; }, {pos});
}

TEST_CASE("sign, sin, cos, reciprocal, rsqrt at Tensor level: methods, dtypes as LibTorch") {
  const tg::Tensor l = tg::tensor({-3, 0, 2});
  CHECK(l.sign().scalar_type() == tg::kLong);
  CHECK(l.sign().value<std::int64_t>() == tg::Labels{-1, 0, 1});
  CHECK(tg::tensor({true, false}).sign().scalar_type() == tg::kBool);
  // An integer input gives Float, as torch.sin(long_tensor).
  CHECK(tg::sin(l).scalar_type() == tg::kFloat);
  CHECK(tg::reciprocal(tg::tensor({2})).item<float>() == 0.5f);
  CHECK(tg::rsqrt(tg::tensor({4})).item<float>() == 0.5f);
  CHECK(tg::cos(tg::zeros({2}, tg::kDouble)).scalar_type() == tg::kDouble);
  const auto r = tg::autograd::gradcheck(
      [](const std::vector<tg::Tensor>& in) { return in[0].sin() * in[0].cos() + in[0].rsqrt() + in[0].reciprocal() + in[0].sign(); },
      {tg::Tensor(tgtest::rand_var({3}, 25, 0.5, 2.0))});
  CHECK_MESSAGE(r.ok, r.message);
}
