#include <cmath>
#include <sstream>

#include "check.hpp"
#include "text_fixtures.hpp"

using doctest::Contains;
using tg::Array;
using tg::Variable;
namespace F = tg::nn::functional;

TEST_CASE("dropout: survivors scaled by 1/(1-p), about p dropped, repeated by manual_seed, identity in eval") {
  tg::manual_seed(11);
  Variable<float> x(tg::rand_uniform<float>({200, 50}, 1.f, 2.f));  // no zeros: a zero output means dropped
  tg::manual_seed(3);
  auto y = tg::dropout(x, 0.3, true);
  std::size_t dropped = 0;
  bool scaled = true;
  for (std::size_t i = 0; i < x.numel(); ++i) {
    const float v = y.value().data()[i];
    if (v == 0.f) ++dropped;
    else scaled = scaled && v == x.value().data()[i] * (1.f / 0.7f);
  }
  CHECK(scaled);
  CHECK(std::abs(double(dropped) / 10000 - 0.3) < 0.015);  // 3.3 standard deviations
  tg::manual_seed(3);
  CHECK(tg::dropout(x, 0.3, true).value() == y.value());
  CHECK(tg::dropout(x, 0.3, false).value() == x.value());
  CHECK(tg::dropout(x, 0.0, true).value() == x.value());
  CHECK(xt::all(xt::equal(tg::dropout(x, 1.0, true).value(), 0.f)));
  CHECK_THROWS_WITH_AS(tg::dropout(x, 1.5), Contains("between 0 and 1, but got 1.5"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::dropout(x, -0.1), Contains("dropout"), tg::Error);
}

TEST_CASE("dropout2d: whole (n, c) planes dropped, batched and unbatched") {
  tg::manual_seed(12);
  Variable<double> x(tg::rand_uniform<double>({8, 16, 3, 4}, 1.0, 2.0));
  auto y = tg::dropout2d(x, 0.5, true);
  std::size_t dropped = 0;
  for (std::size_t plane = 0; plane < 8 * 16; ++plane) {
    const double* ys = y.value().data() + plane * 12;
    const double* xs = x.value().data() + plane * 12;
    const bool zero = ys[0] == 0.0;
    dropped += zero;
    for (std::size_t k = 0; k < 12; ++k) CHECK(ys[k] == (zero ? 0.0 : 2.0 * xs[k]));
  }
  CHECK(dropped > 30);
  CHECK(dropped < 98);
  Variable<double> unbatched(tg::rand_uniform<double>({64, 2, 2}, 1.0, 2.0));
  auto u = tg::dropout2d(unbatched, 0.5, true);
  for (std::size_t c = 0; c < 64; ++c)
    for (std::size_t k = 1; k < 4; ++k) CHECK((u.value()(c, 0, 0) == 0.0) == (u.value().data()[c * 4 + k] == 0.0));
  CHECK(tg::dropout2d(x, 0.5, false).value() == x.value());
  CHECK_THROWS_WITH_AS(tg::dropout2d(Variable<double>(Array<double>::from_shape({4, 5})), 0.5),
                       Contains("expected input (N, C, H, W) or (C, H, W), got (4, 5)"), tg::Error);
}

TEST_CASE("dropout, dropout2d: float64 gradcheck under a fixed mask, train and eval") {
  auto x = tgtest::rand_var({3, 4, 2, 3}, 1);
  using V = std::vector<Variable<double>>;
  for (bool training : {true, false}) {
    CHECK_GRADCHECK([training](const V& in) { tg::manual_seed(5); return tg::dropout(in[0], 0.4, training); }, {x});
    CHECK_GRADCHECK([training](const V& in) { tg::manual_seed(5); return tg::dropout2d(in[0], 0.4, training); }, {x});
  }
  // The gradient is the mask itself.
  tg::manual_seed(9);
  auto y = tg::dropout(x, 0.25, true);
  y.backward(xt::ones<double>(x.shape()));
  for (std::size_t i = 0; i < x.numel(); ++i)
    CHECK(x.grad().data()[i] == doctest::Approx(y.value().data()[i] / x.value().data()[i]));
}

TEST_CASE("Dropout, Dropout2d modules: train/eval, options, printing, F:: spellings") {
  tg::nn::DropoutImpl drop(0.2);
  tg::nn::Dropout2dImpl drop2d(tg::nn::Dropout2dOptions(0.3).inplace(true));
  tg::nn::Dropout2d feature;  // a holder, default-constructed as upstream MNIST's member
  std::ostringstream out;
  out << drop << "|" << drop2d << "|" << *feature;
  CHECK(out.str() == "Dropout(p=0.2, inplace=false)|Dropout2d(p=0.3, inplace=true)|Dropout2d(p=0.5, inplace=false)");
  tg::manual_seed(4);
  Variable<float> x(tg::rand_uniform<float>({4, 8, 5, 5}, 1.f, 2.f));
  tg::manual_seed(6);
  auto y = drop.forward(x);
  tg::manual_seed(6);
  CHECK(y.value<float>() == tg::dropout(x, 0.2, true).value());
  tg::manual_seed(6);
  CHECK(F::dropout(x, F::DropoutFuncOptions().p(0.2)).value() == y.value<float>());
  tg::manual_seed(6);
  const Array<float> channels = drop2d.forward(x).value<float>();
  tg::manual_seed(6);
  CHECK(channels == F::dropout2d(x, F::Dropout2dFuncOptions().p(0.3)).value());
  drop.eval();
  drop2d.eval();
  CHECK(drop.forward(x).value<float>() == x.value());
  CHECK(drop2d.forward(x).value<float>() == x.value());
  CHECK(F::dropout(x, F::DropoutFuncOptions().training(false)).value() == x.value());
  CHECK_THROWS_WITH_AS(tg::nn::DropoutImpl(2.0), Contains("Dropout: dropout probability has to be between 0 and 1"), tg::Error);
}

TEST_CASE("dropout agrees with LibTorch: the survivors' scale, whole channels in dropout2d, eval's identity") {
  tgtest::TextFixture fx("dropout");
  const Array<float> x = fx.array<float>("x");
  Variable<float> xv(x);
  for (const char* p : {"p3", "p5"}) {
    const double prob = p[1] == '3' ? 0.3 : 0.5;
    // LibTorch's survivors: y = x · s; ours are scaled by the same s.
    const Array<float> theirs = fx.array<float>(std::string(p) + ".dropout");
    const Array<float> ours = tg::dropout(xv, prob, true).value();
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (theirs.data()[i] != 0.f && ours.data()[i] != 0.f) CHECK(ours.data()[i] == theirs.data()[i]);
    }
    const Array<float> theirs2d = fx.array<float>(std::string(p) + ".dropout2d");
    const Array<float> ours2d = tg::dropout2d(xv, prob, true).value();
    for (std::size_t plane = 0; plane < 12; ++plane)
      for (std::size_t k = 0; k < 25; ++k) {
        const std::size_t i = plane * 25 + k;
        if (theirs2d.data()[i] != 0.f && ours2d.data()[i] != 0.f) CHECK(ours2d.data()[i] == theirs2d.data()[i]);
        CHECK((theirs2d.data()[i] == 0.f) == (theirs2d.data()[plane * 25] == 0.f));  // LibTorch's, per plane
      }
  }
  CHECK(tg::dropout(xv, 0.5, false).value() == fx.array<float>("eval.dropout"));
}
