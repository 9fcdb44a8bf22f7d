#include "check.hpp"

TEST_CASE("CosineAnnealingLR follows the half cosine from base lr to eta_min, then stays") {
  tg::Variable<float> p(tg::Array<float>{1.f}, true);
  tg::optim::SGD opt({p}, tg::optim::SGDOptions(0.1));
  tg::optim::CosineAnnealingLR schedule(opt, 4, 0.02);
  // lr_t = 0.02 + 0.08 * (1 + cos(pi t / 4)) / 2
  const double expected[] = {0.02 + 0.04 * (1 + std::sqrt(0.5)), 0.06, 0.02 + 0.04 * (1 - std::sqrt(0.5)), 0.02, 0.02};
  for (double lr : expected) {
    schedule.step();
    CHECK(opt.lr() == doctest::Approx(lr).epsilon(1e-12));
  }
  CHECK(schedule.steps_taken() == 5);
}

TEST_CASE("CosineAnnealingLR rejects t_max 0 and a negative eta_min") {
  tg::Variable<float> p(tg::Array<float>{1.f}, true);
  tg::optim::SGD opt({p}, tg::optim::SGDOptions(0.1));
  CHECK_THROWS_WITH_AS(tg::optim::CosineAnnealingLR(opt, 0), doctest::Contains("CosineAnnealingLR: expected t_max"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::optim::CosineAnnealingLR(opt, 3, -1.0), doctest::Contains("eta_min >= 0"), tg::Error);
}
