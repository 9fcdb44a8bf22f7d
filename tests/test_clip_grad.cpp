#include "check.hpp"

using tg::Array;
using tg::Variable;
using tg::nn::utils::clip_grad_norm_;
using tg::nn::utils::clip_grad_value_;

namespace {

template <class T>
std::vector<Variable<T>> with_grads(std::vector<Array<T>> grads) {
  std::vector<Variable<T>> params;
  for (auto& g : grads) {
    params.emplace_back(Array<T>(xt::zeros<T>(g.shape())), true);
    params.back().backward(g);
  }
  return params;
}

}  // namespace

TEST_CASE("clip_grad_norm_: the total 2-norm over all gradients, scaled by max_norm / (norm + 1e-6)") {
  auto params = with_grads<double>({Array<double>{3.0, 0.0}, Array<double>{{4.0, 0.0}}});
  const double norm = clip_grad_norm_(params, 1.0);
  CHECK(norm == doctest::Approx(5.0));
  const double scale = 1.0 / (5.0 + 1e-6);
  CHECK(params[0].grad()(0) == doctest::Approx(3.0 * scale).epsilon(1e-14));
  CHECK(params[1].grad()(0, 0) == doctest::Approx(4.0 * scale).epsilon(1e-14));
  SUBCASE("under max_norm nothing changes") {
    auto small = with_grads<float>({Array<float>{0.3f, 0.4f}});
    CHECK(clip_grad_norm_(small, 1.0) == doctest::Approx(0.5));
    CHECK(small[0].grad()(1) == 0.4f);
  }
}

TEST_CASE("clip_grad_norm_: other orders, the inf norm, parameters without a gradient") {
  auto params = with_grads<double>({Array<double>{1.0, -2.0}, Array<double>{-3.0}});
  params.emplace_back(Array<double>{5.0}, true);  // no gradient: ignored
  CHECK(clip_grad_norm_(params, 100.0, 1.0) == doctest::Approx(6.0));
  CHECK(clip_grad_norm_(params, 100.0, 3.0) == doctest::Approx(std::cbrt(1.0 + 8.0 + 27.0)));
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(clip_grad_norm_(params, 1.5, inf) == doctest::Approx(3.0));
  CHECK(params[1].grad()(0) == doctest::Approx(-3.0 * 1.5 / (3.0 + 1e-6)));
  CHECK_FALSE(params[2].has_grad());
  std::vector<Variable<double>> none = {Variable<double>(Array<double>{1.0}, true)};
  CHECK(clip_grad_norm_(none, 1.0) == 0.0);
}

TEST_CASE("clip_grad_norm_: a non-finite norm throws only with error_if_nonfinite, norm_type must be > 0") {
  auto params = with_grads<float>({Array<float>{std::numeric_limits<float>::infinity(), 1.f}});
  CHECK_THROWS_WITH_AS(clip_grad_norm_(params, 1.0, 2.0, true), doctest::Contains("non-finite"), tg::Error);
  CHECK(std::isinf(clip_grad_norm_(params, 1.0)));
  CHECK_THROWS_WITH_AS(clip_grad_norm_(params, 1.0, 0.0), doctest::Contains("expected norm_type > 0"), tg::Error);
}

TEST_CASE("clip_grad_value_ clamps every gradient element") {
  auto params = with_grads<float>({Array<float>{-3.f, 0.5f, 2.f}});
  clip_grad_value_(params, 1.0);
  CHECK(params[0].grad() == Array<float>{-1.f, 0.5f, 1.f});
  CHECK_THROWS_WITH_AS(clip_grad_value_(params, -1.0), doctest::Contains("expected clip_value >= 0"), tg::Error);
}
