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

TEST_CASE("Schedulers act on every parameter group") {
  tg::Variable<float> a(tg::Array<float>{1.f}, true), b(tg::Array<float>{1.f}, true);
  std::vector<tg::optim::OptimizerParamGroup> groups;
  groups.emplace_back(std::vector<tg::Tensor>{a});
  groups.emplace_back(std::vector<tg::Tensor>{b}, std::make_unique<tg::optim::SGDOptions>(1.0));
  tg::optim::SGD opt(groups, tg::optim::SGDOptions(0.1));
  tg::optim::ExponentialLR schedule(opt, 0.5);
  schedule.step();
  CHECK(schedule.get_last_lr() == std::vector<double>{0.05, 0.5});
  CHECK(schedule.steps_taken() == 1);
  opt.add_param_group(tg::optim::OptimizerParamGroup({tg::Variable<float>(tg::Array<float>{1.f}, true)}));
  CHECK(schedule.get_last_lr().size() == 3);
}

TEST_CASE("Schedulers reject bad options") {
  tg::Variable<float> p(tg::Array<float>{1.f}, true);
  tg::optim::SGD opt({p}, tg::optim::SGDOptions(0.1));
  using tg::optim::OneCycleLROptions;
  CHECK_THROWS_WITH_AS(tg::optim::StepLR(opt, 0), doctest::Contains("StepLR: expected step_size >= 1"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::optim::MultiStepLR(opt, {1}, -1), doctest::Contains("MultiStepLR: expected gamma >= 0"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::optim::ExponentialLR(opt, -0.5), doctest::Contains("ExponentialLR: expected gamma"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::optim::OneCycleLR(opt, OneCycleLROptions(0.1, 0)),
                       doctest::Contains("OneCycleLR: expected total_steps >= 1"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::optim::OneCycleLR(opt, OneCycleLROptions(0.1, 10).pct_start(1.5)),
                       doctest::Contains("OneCycleLR: expected pct_start in [0, 1]"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::optim::OneCycleLR(opt, OneCycleLROptions({0.1, 0.2}, 10)),
                       doctest::Contains("OneCycleLR: expected one max_lr or one per parameter group (1), got 2"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::optim::OneCycleLR(opt, OneCycleLROptions(0.1, 10).pct_start(0.1)),
                       doctest::Contains("OneCycleLR: a phase of length 0"), tg::Error);
  tg::optim::Adagrad adagrad({p});
  CHECK_THROWS_WITH_AS(tg::optim::OneCycleLR(adagrad, OneCycleLROptions(0.1, 10)),
                       doctest::Contains("optimizer must support momentum with cycle_momentum enabled (Adagrad"),
                       tg::Error);
  using tg::optim::ReduceLROnPlateauOptions;
  CHECK_THROWS_WITH_AS(tg::optim::ReduceLROnPlateau(opt, ReduceLROnPlateauOptions().factor(1.0)),
                       doctest::Contains("ReduceLROnPlateau: expected 0 <= factor < 1"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::optim::ReduceLROnPlateau(opt, ReduceLROnPlateauOptions().min_lr({0.1, 0.2})),
                       doctest::Contains("expected one min_lr or one per parameter group (1), got 2"), tg::Error);
}

TEST_CASE("ReduceLROnPlateau counts a NaN metric as no improvement, as PyTorch") {
  tg::Variable<float> p(tg::Array<float>{1.f}, true);
  tg::optim::SGD opt({p}, tg::optim::SGDOptions(0.1));
  tg::optim::ReduceLROnPlateau schedule(opt, tg::optim::ReduceLROnPlateauOptions().patience(0));
  schedule.step(1.0);
  schedule.step(std::nan(""));
  CHECK(opt.lr() == doctest::Approx(0.01));
  CHECK(schedule.best() == 1.0);
}
