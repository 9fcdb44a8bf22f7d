// tg::detect_anomaly: the first NaN or infinity in a forward output or a backward gradient throws,
// naming the op, its shapes and the pass.
#include "check.hpp"

using tg::Array;
using tg::Variable;

TEST_CASE("detect_anomaly: a NaN made in forward names the op (log of a negative value)") {
  Variable<double> x(Array<double>{1.0, -2.0, 3.0}, true);
  tg::detect_anomaly guard;
  CHECK_THROWS_WITH_AS(tg::log(x),
                       "detect_anomaly: forward of 'log' produced nan at element 1 of its output of shape (3,) "
                       "(inputs of shapes (3,))",
                       tg::Error);
  // Not only recorded ops: the same under NoGradGuard.
  tg::NoGradGuard no_grad;
  CHECK_THROWS_WITH_AS(tg::log(x), doctest::Contains("forward of 'log' produced nan"), tg::Error);
}

TEST_CASE("detect_anomaly: a non-finite gradient made in backward names the op (sqrt at 0)") {
  Variable<double> x(Array<double>{0.0, 4.0}, true);
  tg::autograd::DetectAnomalyGuard guard;
  auto y = tg::sum(tg::sqrt(x));  // forward is finite: sqrt(0) = 0
  CHECK_THROWS_WITH_AS(y.backward(),
                       "detect_anomaly: backward of 'sqrt' produced inf at element 0 of the gradient of its input 0 "
                       "(inputs of shapes (2,), output of shape (2,))",
                       tg::Error);
  // A gradient a kernel writes in place (matmul's BLAS) is checked too: dA = 1e10 * 1e300.
  Variable<double> a(Array<double>(xt::xarray<double>::from_shape({1, 1}) * 0 + 1e-300), true);
  Variable<double> b(Array<double>(xt::xarray<double>::from_shape({1, 1}) * 0 + 1e300), true);
  auto z = tg::sum(tg::matmul(a, b) * 1e10);
  CHECK_THROWS_WITH_AS(z.backward(),
                       "detect_anomaly: backward of 'matmul' produced inf at element 0 of the gradient of its input 0 "
                       "(inputs of shapes (1, 1), (1, 1), output of shape (1, 1))",
                       tg::Error);
}

TEST_CASE("detect_anomaly: off (the default, and after the guard) nothing is checked") {
  CHECK_FALSE(tg::autograd::AnomalyMode::is_enabled());
  {
    tg::detect_anomaly guard;
    CHECK(tg::autograd::AnomalyMode::is_enabled());
  }
  CHECK_FALSE(tg::autograd::AnomalyMode::is_enabled());
  Variable<double> x(Array<double>{0.0, -1.0}, true);
  auto y = tg::sum(tg::sqrt(x));  // nan forward, inf gradient: let through
  CHECK(std::isnan(y.item()));
  CHECK_NOTHROW(y.backward());
  CHECK(std::isinf(x.grad()(0)));
}
