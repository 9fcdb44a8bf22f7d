#include "check.hpp"
#include "text_fixtures.hpp"

using tg::Array;
using tg::Variable;
using tgtest::rand_var;
using V = std::vector<Variable<double>>;

TEST_CASE("linear: x·Wᵀ + b and its gradients, by hand") {
  Variable<float> x(Array<float>{{1.f, 2.f, 3.f}, {4.f, 5.f, 6.f}}, true);
  Variable<float> w(Array<float>{{1.f, 0.f, -1.f}, {2.f, 1.f, 0.f}}, true);
  Variable<float> b(Array<float>{0.5f, -1.f}, true);
  auto y = tg::linear(x, w, b);
  CHECK(tgtest::allclose(y.value(), Array<float>{{-1.5f, 3.f}, {-1.5f, 12.f}}));
  y.backward(Array<float>{{1.f, 2.f}, {3.f, 4.f}});
  // dX = G·W, dW = Gᵀ·X, db = column sums of G
  CHECK(tgtest::allclose(x.grad(), Array<float>{{5.f, 2.f, -1.f}, {11.f, 4.f, -3.f}}));
  CHECK(tgtest::allclose(w.grad(), Array<float>{{13.f, 17.f, 21.f}, {18.f, 24.f, 30.f}}));
  CHECK(tgtest::allclose(b.grad(), Array<float>{4.f, 6.f}));
  // Without a bias: x·Wᵀ alone.
  CHECK(tgtest::allclose(tg::linear(x, w, Variable<float>()).value(), Array<float>{{-2.f, 4.f}, {-2.f, 13.f}}));
}

TEST_CASE("linear gradcheck: with and without bias, accumulation, frozen inputs") {
  auto x = rand_var({4, 5}, 1), w = rand_var({3, 5}, 2), b = rand_var({3}, 3);
  CHECK_GRADCHECK([](const V& in) { return tg::linear(in[0], in[1], in[2]); }, {x, w, b});
  CHECK_GRADCHECK([](const V& in) { return tg::linear(in[0], in[1], Variable<double>()); }, {x, w});
  // Two layers sharing leaves: the second backward adds into the buffers the first wrote (beta = 1).
  CHECK_GRADCHECK([](const V& in) { return tg::linear(in[0], in[1], in[2]) * tg::linear(in[0], in[1], in[2]); },
                  {x, w, b});
  auto frozen_w = rand_var({3, 5}, 2, -1.0, 1.0, false);
  CHECK_GRADCHECK([](const V& in) { return tg::linear(in[0], in[1], in[2]); }, {x, frozen_w, b});
  auto frozen_x = rand_var({4, 5}, 1, -1.0, 1.0, false);
  CHECK_GRADCHECK([](const V& in) { return tg::linear(in[0], in[1], in[2]); }, {frozen_x, w, b});
}

TEST_CASE("linear: bad input throws naming the op") {
  Variable<float> x(Array<float>::from_shape({4, 5})), w(Array<float>::from_shape({3, 5}));
  Variable<float> none;
  CHECK_THROWS_WITH_AS(tg::linear(Variable<float>(Array<float>::from_shape({})), w, none),
                       "linear: expected input (*, in), got ()", tg::Error);
  CHECK_THROWS_WITH_AS(tg::linear(x, Variable<float>(Array<float>::from_shape({3, 5, 1})), none),
                       "linear: expected weight (out, in), got (3, 5, 1)", tg::Error);
  CHECK_THROWS_WITH_AS(tg::linear(Variable<float>(Array<float>::from_shape({4, 6})), w, none),
                       "linear: expected input (*, in) with in = 5 to match weight (3, 5), got (4, 6)", tg::Error);
  CHECK_THROWS_WITH_AS(tg::linear(x, w, Variable<float>(Array<float>::from_shape({5}))),
                       "linear: expected bias (3,) to match weight (3, 5), got (5,)", tg::Error);
}

TEST_CASE("linear: any number of leading batch dims (N, *, in), a single vector (in,), agrees with LibTorch") {
  auto x = rand_var({2, 3, 4}, 1), w = rand_var({5, 4}, 2), b = rand_var({5}, 3);
  auto y = tg::linear(x, w, b);
  CHECK(y.shape() == tg::Shape{2, 3, 5});
  // The same as the 2-D product on the flattened rows.
  auto flat = tg::linear(tg::reshape(x, {6, 4}), w, b);
  CHECK(tgtest::allclose(tg::reshape(y, {6, 5}).value(), flat.value(), 1e-14, 1e-14));
  CHECK_GRADCHECK([](const V& in) { return tg::linear(in[0], in[1], in[2]); }, {x, w, b});
  auto v = rand_var({4}, 4);
  CHECK(tg::linear(v, w, b).shape() == tg::Shape{5});
  CHECK_GRADCHECK([](const V& in) { return tg::linear(in[0], in[1], in[2]); }, {v, w, b});

  tgtest::TextFixture fx("linear");
  for (const std::string name : {"nd", "vector"}) {
    CAPTURE(name);
    Variable<double> xv(fx.array<double>(name == "nd" ? "x" : "x1"), true), wv(fx.array<double>("weight"), true),
        bv(fx.array<double>("bias"), true);
    auto out = tg::linear(xv, wv, bv);
    CHECK_AGREES(out.value(), fx.array<double>(name + ".y"));
    out.backward(fx.array<double>(name + ".gy"));
    CHECK_AGREES(xv.grad(), fx.array<double>(name + ".grad.x"));
    CHECK_AGREES(wv.grad(), fx.array<double>(name + ".grad.w"));
    CHECK_AGREES(bv.grad(), fx.array<double>(name + ".grad.b"));
  }
  tg::nn::LinearImpl layer(4, 3);
  CHECK(layer.forward(Variable<float>(Array<float>::from_shape({2, 7, 4}))).shape() == tg::Shape{2, 7, 3});
}
