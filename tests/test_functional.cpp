#include "check.hpp"

TEST_CASE("tg::nn::functional names the same functions as tg::") {
  namespace F = tg::nn::functional;
  tg::Variable<float> x(tg::Array<float>{{-1.f, 2.f}});
  CHECK(tgtest::allclose(F::relu(x).value(), tg::Array<float>{{0.f, 2.f}}));
  tg::Labels y = {1};
  // Logits (-1, 2), target 1: loss = log(1 + e^-3).
  CHECK(F::cross_entropy(x, y).item() == doctest::Approx(std::log1p(std::exp(-3.0))));
}
