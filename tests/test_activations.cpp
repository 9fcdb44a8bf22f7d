#include "check.hpp"

#include <cmath>
#include <limits>
#include <memory>

using tg::Array;
using tg::Variable;
using V = std::vector<Variable<double>>;

namespace {

// Values with |x| in [0.1, 1), alternating in sign: finite differences across the kink at 0 mean nothing.
Variable<double> away_from_zero(const tg::Shape& shape, unsigned seed) {
  auto x = tgtest::rand_var(shape, seed, 0.1, 1.0);
  for (std::size_t k = 0; k < x.numel(); k += 2) x.value().data()[k] *= -1.0;
  return x;
}

// Whether `op` lets its input's buffer go once the forward is done (its backward keeps only its output).
template <class Op>
bool frees_input(Op op) {
  tg::TapeScope<double> scope;  // leaves no pending graph behind
  Variable<double> leaf(Array<double>{-1.0, 0.5}, true);
  auto h = leaf * 2.0;  // a non-leaf that only this op's backward could keep alive
  std::weak_ptr<Array<double>> h_value = h.value_ptr();
  auto y = op(h);
  h = Variable<double>();
  return h_value.expired() && y.requires_grad();
}

}  // namespace

TEST_CASE("relu and leaky_relu: values and gradients by hand") {
  Variable<float> x(Array<float>{-1.f, 0.f, 2.f}, true);
  const Array<float> g{1.f, 2.f, 3.f};

  auto r = tg::relu(x);
  CHECK(tgtest::allclose(r.value(), Array<float>{0.f, 0.f, 2.f}));
  r.backward(g);
  CHECK(tgtest::allclose(x.grad(), Array<float>{0.f, 0.f, 3.f}));  // 0 at the kink, as torch

  x.zero_grad();
  auto l = tg::leaky_relu(x);
  CHECK(tgtest::allclose(l.value(), Array<float>{-0.01f, 0.f, 2.f}));
  l.backward(g);
  CHECK(tgtest::allclose(x.grad(), Array<float>{0.01f, 0.02f, 3.f}));

  x.zero_grad();
  auto l2 = tg::leaky_relu(x, 0.2);  // a double slope for a float tensor
  CHECK(tgtest::allclose(l2.value(), Array<float>{-0.2f, 0.f, 2.f}));
  l2.backward(g);
  CHECK(tgtest::allclose(x.grad(), Array<float>{0.2f, 0.4f, 3.f}));
}

TEST_CASE("leaky_relu with a negative slope: negative inputs give positive outputs and the slope's gradient") {
  Variable<double> x(Array<double>{-2.0, 3.0}, true);
  auto y = tg::leaky_relu(x, -0.5);
  CHECK(tgtest::allclose(y.value(), Array<double>{1.0, 3.0}));
  y.backward(Array<double>{1.0, 1.0});
  CHECK(tgtest::allclose(x.grad(), Array<double>{-0.5, 1.0}));
}

TEST_CASE("sigmoid and tanh: values and gradients by hand") {
  const double ln2 = std::log(2.0), ln3 = std::log(3.0);
  Variable<double> x(Array<double>{0.0, ln3, -ln3}, true);
  auto s = tg::sigmoid(x);
  CHECK(tgtest::allclose(s.value(), Array<double>{0.5, 0.75, 0.25}));
  s.backward(Array<double>{1.0, 1.0, 2.0});
  CHECK(tgtest::allclose(x.grad(), Array<double>{0.25, 0.1875, 0.375}));  // s (1 - s) times g

  Variable<double> z(Array<double>{0.0, ln2}, true);
  auto t = tg::tanh(z);
  CHECK(tgtest::allclose(t.value(), Array<double>{0.0, 0.6}));  // (2 - 1/2) / (2 + 1/2)
  t.backward(Array<double>{1.0, 1.0});
  CHECK(tgtest::allclose(z.grad(), Array<double>{1.0, 0.64}));  // 1 - tanh²
}

TEST_CASE("activations at the extremes: saturation without NaN, NaN passes through") {
  const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
  Variable<double> x(Array<double>{-inf, -1000.0, 1000.0, inf});
  CHECK(tgtest::allclose(tg::sigmoid(x).value(), Array<double>{0.0, 0.0, 1.0, 1.0}));
  CHECK(tgtest::allclose(tg::tanh(x).value(), Array<double>{-1.0, -1.0, 1.0, 1.0}));
  CHECK(tgtest::allclose(tg::relu(x).value(), Array<double>{0.0, 0.0, 1000.0, inf}));
  Variable<double> n(Array<double>{nan});
  CHECK(std::isnan(tg::relu(n).item()));
  CHECK(std::isnan(tg::leaky_relu(n).item()));
  CHECK(std::isnan(tg::sigmoid(n).item()));
}

TEST_CASE("activation gradchecks on 3-D inputs") {
  auto x = away_from_zero({2, 3, 4}, 11);
  CHECK_GRADCHECK([](const V& in) { return tg::relu(in[0]); }, {x});
  CHECK_GRADCHECK([](const V& in) { return tg::leaky_relu(in[0]); }, {x});
  CHECK_GRADCHECK([](const V& in) { return tg::leaky_relu(in[0], 0.2); }, {x});
  CHECK_GRADCHECK([](const V& in) { return tg::leaky_relu(in[0], -0.5); }, {x});
  auto w = tgtest::rand_var({2, 3, 4}, 12, -3.0, 3.0);
  CHECK_GRADCHECK([](const V& in) { return tg::sigmoid(in[0]); }, {w});
  CHECK_GRADCHECK([](const V& in) { return tg::tanh(in[0]); }, {w});
  CHECK_GRADCHECK([](const V& in) { return tg::tanh(tg::sigmoid(in[0]) * in[0]); }, {w});
}

TEST_CASE("activations keep their output, not their input, for the backward") {
  CHECK(frees_input([](const Variable<double>& h) { return tg::relu(h); }));
  CHECK(frees_input([](const Variable<double>& h) { return tg::leaky_relu(h, 0.1); }));
  CHECK(frees_input([](const Variable<double>& h) { return tg::sigmoid(h); }));
  CHECK(frees_input([](const Variable<double>& h) { return tg::tanh(h); }));
  // A negative slope needs the input's sign, so that input stays.
  CHECK_FALSE(frees_input([](const Variable<double>& h) { return tg::leaky_relu(h, -0.1); }));
}
