#include <sstream>

#include "check.hpp"
#include "text_fixtures.hpp"

using doctest::Contains;
using tg::Array;
using tg::Variable;
using V = std::vector<Variable<double>>;
namespace F = tg::nn::functional;

TEST_CASE("gelu: both forms by hand, float64 gradcheck, agreement with LibTorch") {
  Variable<double> x(Array<double>{-1.0, 0.0, 2.0});
  const auto exact = tg::gelu(x).value();
  CHECK(exact(0) == doctest::Approx(-1.0 * 0.5 * (1 + std::erf(-1.0 / std::sqrt(2.0)))).epsilon(1e-14));
  CHECK(exact(1) == 0.0);
  const auto approx = tg::gelu(x, "tanh").value();
  CHECK(approx(2) == doctest::Approx(0.5 * 2 * (1 + std::tanh(std::sqrt(2 / M_PI) * (2 + 0.044715 * 8)))).epsilon(1e-14));
  auto xg = tgtest::rand_var({3, 5}, 1, -4, 4);
  CHECK_GRADCHECK([](const V& in) { return tg::gelu(in[0]); }, {xg});
  CHECK_GRADCHECK([](const V& in) { return tg::gelu(in[0], "tanh"); }, {xg});
  CHECK_THROWS_WITH_AS(tg::gelu(x, "fast"), Contains("gelu: approximate must be \"none\" or \"tanh\", got \"fast\""), tg::Error);

  tgtest::TextFixture fx("activations");
  for (const std::string form : {"none", "tanh"}) {
    CAPTURE(form);
    Variable<double> xv(fx.array<double>("x"), true);
    auto y = F::gelu(xv, F::GELUFuncOptions().approximate(form));
    CHECK_AGREES(y.value(), fx.array<double>("gelu_" + form + ".y"));
    y.backward(fx.array<double>("gelu_" + form + ".gy"));
    CHECK_AGREES(xv.grad(), fx.array<double>("gelu_" + form + ".grad.x"));
  }
}

TEST_CASE("Tanh, Sigmoid, GELU, Softmax, LogSoftmax, Identity modules: their ops, printed as LibTorch") {
  tg::manual_seed(3);
  Variable<float> x(tg::randn<float>({4, 6}), true);
  CHECK(tg::nn::TanhImpl().forward(x).value<float>() == tg::tanh(x).value());
  CHECK(tg::nn::SigmoidImpl().forward(x).value<float>() == tg::sigmoid(x).value());
  CHECK(tg::nn::GELUImpl().forward(x).value<float>() == tg::gelu(x).value());
  CHECK(tg::nn::GELUImpl(tg::nn::GELUOptions().approximate("tanh")).forward(x).value<float>() == tg::gelu(x, "tanh").value());
  CHECK(tg::nn::SoftmaxImpl(1).forward(x).value<float>() == tg::softmax(x, 1).value());
  CHECK(tg::nn::LogSoftmaxImpl(tg::nn::LogSoftmaxOptions(0)).forward(x).value<float>() == tg::log_softmax(x, 0).value());
  auto same = tg::nn::IdentityImpl().forward(x);
  CHECK(same.data_ptr<float>() == x.value().data());
  tg::nn::SequentialImpl seq(std::make_shared<tg::nn::TanhImpl>(), std::make_shared<tg::nn::SigmoidImpl>(),
                         std::make_shared<tg::nn::GELUImpl>(), std::make_shared<tg::nn::SoftmaxImpl>(1),
                         std::make_shared<tg::nn::LogSoftmaxImpl>(-1), std::make_shared<tg::nn::IdentityImpl>());
  std::ostringstream out;
  out << seq;
  CHECK(out.str() ==
        "Sequential(\n  (0): Tanh()\n  (1): Sigmoid()\n  (2): GELU()\n  (3): Softmax(dim=1)\n  (4): LogSoftmax(dim=-1)\n"
        "  (5): Identity()\n)");
}
