// log1p, expm1 and the rounding ops floor, ceil, round, trunc: values as the C library's (round's
// halves to even, as torch.round), gradients (float64 gradchecks; zero for the rounding), dtypes.
#include <cmath>

#include "check.hpp"

using tg::Tensor;
using TV = std::vector<Tensor>;

TEST_CASE("log1p and expm1: exact near zero, float64 gradchecks, integers taken as Float") {
  const Tensor tiny = tg::tensor({1e-10, -3e-12, 0.5});
  CHECK(tiny.log1p()[0].item<double>() == doctest::Approx(std::log1p(1e-10)).epsilon(1e-14));  // log(1 + x): 8e-8 off
  CHECK(tiny.expm1()[1].item<double>() == doctest::Approx(std::expm1(-3e-12)).epsilon(1e-14));
  const Tensor x = tgtest::rand_var({2, 3}, 1, -0.9, 2.0);
  for (const auto& fn : std::vector<tg::autograd::TensorGradcheckFn>{[](const TV& in) { return in[0].log1p(); },
                                                                      [](const TV& in) { return tg::expm1(in[0]); }}) {
    const auto r = tg::autograd::gradcheck(fn, {x});
    CHECK_MESSAGE(r.ok, r.message);
  }
  CHECK(tg::log1p(tg::arange(3)).scalar_type() == tg::kFloat);
}

TEST_CASE("floor, ceil, round and trunc: values, halves to even, zero gradient, integers kept") {
  const Tensor x = tg::tensor({-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 2.7, -2.7}, tg::TensorOptions().requires_grad(true));
  const std::vector<double> want_round{-2, -2, -0, 0, 2, 2, 3, -3}, want_floor{-3, -2, -1, 0, 1, 2, 2, -3},
      want_ceil{-2, -1, -0, 1, 2, 3, 3, -2}, want_trunc{-2, -1, -0, 0, 1, 2, 2, -2};
  const std::pair<Tensor, const std::vector<double>*> cases[] = {
      {x.round(), &want_round}, {x.floor(), &want_floor}, {x.ceil(), &want_ceil}, {tg::trunc(x), &want_trunc}};
  for (const auto& c : cases)
    for (std::size_t i = 0; i < 8; ++i) CHECK(c.first[static_cast<std::int64_t>(i)].item<double>() == (*c.second)[i]);
  (x.round() + x.floor() + x.ceil() + x.trunc()).sum().backward();
  CHECK(x.grad().abs().sum().item<double>() == 0);
  const Tensor ints = tg::arange(4);
  CHECK(ints.floor().scalar_type() == tg::kLong);
  CHECK(ints.round().equal(ints));
}
