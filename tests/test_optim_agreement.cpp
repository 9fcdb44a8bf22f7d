// Every optimizer and learning-rate schedule against PyTorch 1.13 on identical inputs, from the
// fixtures scripts/fixtures_optim.py wrote: the optimizer classes in float32 (within 1e-5 relative)
// and in float64 (within 1e-10), step by step.
#include "check.hpp"
#include "fixtures.hpp"

#include <xtensor/xio.hpp>


namespace optim = tg::optim;
using tg::Array;
using tg::Variable;
using tgtest::Fixture;

namespace {

const Fixture& optim_fixture() {
  static const Fixture f("optim.npz");
  return f;
}

// Fills options from the fixture's entries <prefix><name>, through the options' own serialize().
class FixtureOptions : public optim::OptimizerArchive {
 public:
  FixtureOptions(const Fixture& f, std::string prefix) : f_(f), prefix_(std::move(prefix)) {}
  void value(const char* name, double& v) override { v = *f_.array<double>(prefix_ + name).data(); }
  void value(const char* name, bool& v) override { v = f_.flag(prefix_ + name); }
  void value(const char* name, std::tuple<double, double>& v) override {
    const Array<double> a = f_.array<double>(prefix_ + name);
    v = {a(0), a(1)};
  }
  void value(const char* name, std::int64_t&) override { throw tg::Error(std::string("no option ") + name); }
  void tensor(const char* name, tg::Tensor&) override { throw tg::Error(std::string("no option ") + name); }
  void optional_tensor(const char* name, tg::Tensor&) override { throw tg::Error(std::string("no option ") + name); }

 private:
  const Fixture& f_;
  std::string prefix_;
};

template <class Options>
Options options_from(const std::string& prefix) {
  Options o(0.0);
  FixtureOptions reader(optim_fixture(), prefix);
  o.serialize(reader);
  return o;
}

bool has_grad(const std::string& c, std::size_t step, std::size_t i) {
  return optim_fixture().flags(c + ".mask").at(step * 2 + i) != 0;
}

template <class T>
Array<T> at_step(const Array<T>& a, std::size_t step) {
  return xt::view(a, step);
}

// The case's run through the optimizer class, in float32 (within 1e-5 of PyTorch's float32 run) or
// float64 (within 1e-10 of its float64 run): the class dispatches each parameter to its dtype's rule.
template <class Opt, class Options, class T>
void replay_class(const std::string& c) {
  const Fixture& f = optim_fixture();
  const bool f32 = std::is_same_v<T, float>;
  std::vector<Variable<T>> params = {Variable<T>(f.array<T>(c + ".p0_init"), true),
                                     Variable<T>(f.array<T>(c + ".p1_init"), true)};
  const Options defaults = options_from<Options>(c + ".options.");
  std::unique_ptr<Opt> opt;
  if (f.has(c + ".group1.lr")) {
    std::vector<optim::OptimizerParamGroup> groups;
    groups.emplace_back(std::vector<tg::Tensor>{params[0]});
    groups.emplace_back(std::vector<tg::Tensor>{params[1]},
                        std::make_unique<Options>(options_from<Options>(c + ".group1.")));
    opt = std::make_unique<Opt>(groups, defaults);
    REQUIRE(opt->param_groups().size() == 2);
  } else {
    opt = std::make_unique<Opt>(std::vector<tg::Tensor>{params[0], params[1]}, defaults);
  }
  const std::size_t steps = f.at(c + ".g0").shape[0];
  for (std::size_t step = 0; step < steps; ++step) {
    opt->zero_grad(/*set_to_none=*/true);  // the fixture's missing gradients are None in PyTorch
    for (std::size_t i = 0; i < 2; ++i)
      if (has_grad(c, step, i)) params[i].backward(at_step(f.array<T>(c + ".g" + std::to_string(i)), step));
    opt->step();
    for (std::size_t i = 0; i < 2; ++i) {
      const Array<T> expected = at_step(f.array<T>(c + (f32 ? ".f32.p" : ".f64.p") + std::to_string(i)), step);
      CHECK_MESSAGE(tgtest::allclose(params[i].value(), expected, f32 ? 1e-5 : 1e-10, f32 ? 1e-7 : 1e-14), c,
                    f32 ? " float32" : " float64", ", step ", step + 1, ", parameter ", i, ": ", params[i].value(),
                    " vs PyTorch ", expected);
    }
  }
}

template <class Opt, class Options>
void replay(const std::vector<std::string>& cases) {
  for (const auto& c : cases) {
    CAPTURE(c);
    replay_class<Opt, Options, float>(c);
    replay_class<Opt, Options, double>(c);
  }
}

}  // namespace

TEST_CASE("SGD agrees with PyTorch 1.13: plain, momentum with dampening, nesterov, parameter groups") {
  replay<optim::SGD, optim::SGDOptions>({"sgd.plain", "sgd.momentum", "sgd.nesterov", "sgd.groups"});
}

TEST_CASE("Adam agrees with PyTorch 1.13: defaults, amsgrad with weight decay, parameter groups") {
  replay<optim::Adam, optim::AdamOptions>({"adam.default", "adam.amsgrad", "adam.groups"});
}

TEST_CASE("AdamW agrees with PyTorch 1.13: defaults, amsgrad") {
  replay<optim::AdamW, optim::AdamWOptions>({"adamw.default", "adamw.amsgrad"});
}

TEST_CASE("RMSprop agrees with PyTorch 1.13: defaults, centered with momentum and weight decay, groups") {
  replay<optim::RMSprop, optim::RMSpropOptions>({"rmsprop.default", "rmsprop.centered", "rmsprop.groups"});
}

TEST_CASE("Adagrad agrees with PyTorch 1.13: defaults, lr_decay with weight decay and an initial accumulator") {
  replay<optim::Adagrad, optim::AdagradOptions>({"adagrad.default", "adagrad.decay"});
}

// ---- learning-rate schedules ----

namespace {

const Fixture& scheduler_fixture() {
  static const Fixture f("lr_schedulers.npz");
  return f;
}

// An optimizer of one parameter per group, with the groups' lrs.
template <class Opt>
std::unique_ptr<Opt> optimizer_with_lrs(const std::vector<double>& lrs) {
  std::vector<optim::OptimizerParamGroup> groups;
  for (std::size_t g = 0; g < lrs.size(); ++g)
    groups.emplace_back(std::vector<tg::Tensor>{Variable<float>(Array<float>{0.f}, true)});
  auto opt = std::make_unique<Opt>(groups, 0.1);
  for (std::size_t g = 0; g < lrs.size(); ++g) opt->param_groups()[g].options().set_lr(lrs[g]);
  return opt;
}

// Steps `step` as many times as the fixture has rows, comparing every group's lr (and, given
// `momentum`, every group's momentum) after each.
void check_sequence(const std::string& c, optim::Optimizer& opt, const std::function<void(std::size_t)>& step,
                    const std::function<double(optim::OptimizerOptions&)>& momentum = nullptr) {
  const Fixture& f = scheduler_fixture();
  const Array<double> lrs = f.array<double>(c + ".lr");
  for (std::size_t k = 0; k < lrs.shape(0); ++k) {
    step(k);
    for (std::size_t g = 0; g < lrs.shape(1); ++g) {
      CHECK_MESSAGE(opt.param_groups()[g].options().get_lr() == doctest::Approx(lrs(k, g)).epsilon(1e-10), c,
                    ": lr of group ", g, " after step ", k + 1);
      if (momentum)
        CHECK_MESSAGE(momentum(opt.param_groups()[g].options()) ==
                          doctest::Approx(f.array<double>(c + ".momentum")(k, g)).epsilon(1e-10),
                      c, ": momentum of group ", g, " after step ", k + 1);
    }
  }
}

}  // namespace

TEST_CASE("StepLR agrees with LibTorch 1.13's (one step() call behind Python's)") {
  auto opt = optimizer_with_lrs<optim::SGD>({1.0, 0.5});
  optim::StepLR schedule(*opt, 3, 0.5);
  check_sequence("step_lr", *opt, [&](std::size_t) { schedule.step(); });
}

TEST_CASE("MultiStepLR, ExponentialLR and CosineAnnealingLR agree with PyTorch 1.13") {
  SUBCASE("MultiStepLR, a milestone listed twice") {
    auto opt = optimizer_with_lrs<optim::SGD>({0.1});
    optim::MultiStepLR schedule(*opt, {2, 5, 5, 7}, 0.5);
    check_sequence("multi_step_lr", *opt, [&](std::size_t) { schedule.step(); });
  }
  SUBCASE("ExponentialLR") {
    auto opt = optimizer_with_lrs<optim::Adam>({0.1});
    optim::ExponentialLR schedule(*opt, 0.9);
    check_sequence("exponential_lr", *opt, [&](std::size_t) { schedule.step(); });
  }
  SUBCASE("CosineAnnealingLR, two groups") {
    auto opt = optimizer_with_lrs<optim::SGD>({0.1, 0.3});
    optim::CosineAnnealingLR schedule(*opt, 8, 0.01);
    check_sequence("cosine_annealing_lr", *opt, [&](std::size_t) { schedule.step(); });
  }
}

TEST_CASE("OneCycleLR agrees with PyTorch 1.13, lr and momentum") {
  SUBCASE("cos, SGD's momentum cycles") {
    auto opt = optimizer_with_lrs<optim::SGD>({0.1});
    static_cast<optim::SGDOptions&>(opt->param_groups()[0].options()).momentum(0.9);
    optim::OneCycleLR schedule(*opt, optim::OneCycleLROptions(0.1, 20));
    CHECK(opt->lr() == doctest::Approx(0.1 / 25).epsilon(1e-12));  // set by the constructor
    check_sequence("one_cycle_lr.cos_sgd", *opt, [&](std::size_t) { schedule.step(); },
                   [](optim::OptimizerOptions& o) { return static_cast<optim::SGDOptions&>(o).momentum(); });
    CHECK_THROWS_WITH_AS(schedule.step(), doctest::Contains("OneCycleLR: step 21 is past total_steps (20)"), tg::Error);
  }
  SUBCASE("linear, three phases, Adam's beta1 cycles") {
    auto opt = optimizer_with_lrs<optim::Adam>({0.1});
    optim::OneCycleLR schedule(*opt, optim::OneCycleLROptions(0.05, 16)
                                         .pct_start(0.25)
                                         .anneal_strategy(optim::AnnealStrategy::linear)
                                         .three_phase(true)
                                         .div_factor(10)
                                         .final_div_factor(100)
                                         .base_momentum(0.8)
                                         .max_momentum(0.9));
    check_sequence("one_cycle_lr.linear_three_phase_adam", *opt, [&](std::size_t) { schedule.step(); },
                   [](optim::OptimizerOptions& o) { return std::get<0>(static_cast<optim::AdamOptions&>(o).betas()); });
  }
  SUBCASE("a max_lr per group, Adagrad without momentum") {
    auto opt = optimizer_with_lrs<optim::Adagrad>({0.1, 0.1});
    optim::OneCycleLR schedule(*opt, optim::OneCycleLROptions({0.1, 0.2}, 12).pct_start(0.4).cycle_momentum(false));
    check_sequence("one_cycle_lr.groups_adagrad", *opt, [&](std::size_t) { schedule.step(); });
  }
}

TEST_CASE("ReduceLROnPlateau agrees with PyTorch 1.13") {
  using O = optim::ReduceLROnPlateauOptions;
  SUBCASE("min, relative threshold, cooldown, min_lr") {
    const double metrics[] = {1.0, 0.9, 0.95, 0.91, 0.92, 0.93, 0.899, 0.9, 0.9, 0.9, 0.9, 0.9, 0.5, 0.6, 0.6, 0.6};
    auto opt = optimizer_with_lrs<optim::SGD>({0.1});
    optim::ReduceLROnPlateau schedule(*opt, O().factor(0.5).patience(2).cooldown(1).min_lr({0.02}).threshold(0.01));
    check_sequence("reduce_lr_on_plateau.min_rel", *opt, [&](std::size_t k) { schedule.step(metrics[k]); });
  }
  SUBCASE("max, absolute threshold, a min_lr per group, eps") {
    const double metrics[] = {0.1, 0.5, 0.55, 0.58, 0.7, 0.75, 0.79, 0.8, 0.85, 0.81, 0.82, 0.83};
    auto opt = optimizer_with_lrs<optim::SGD>({0.1, 0.05});
    optim::ReduceLROnPlateau schedule(*opt, O().mode(O::Mode::max)
                                                .factor(0.1)
                                                .patience(1)
                                                .threshold(0.1)
                                                .threshold_mode(O::ThresholdMode::abs)
                                                .min_lr({0.001, 0.004})
                                                .eps(1e-3));
    check_sequence("reduce_lr_on_plateau.max_abs", *opt, [&](std::size_t k) { schedule.step(metrics[k]); });
  }
}
