// The Optimizer surface shared by every optimizer: parameter groups, lr per group, checks of options
// and parameters, closures, lazily made state.
#include "check.hpp"

namespace optim = tg::optim;
using tg::Array;
using tg::Variable;
using tgtest::param;


TEST_CASE("Optimizer: parameter groups keep their own options, groups without take the defaults") {
  auto a = param({1.f}), b = param({1.f}), c = param({1.f});
  std::vector<optim::OptimizerParamGroup> groups;
  groups.emplace_back(std::vector<tg::Tensor>{a}, std::make_unique<optim::SGDOptions>(0.5));
  groups.emplace_back(std::vector<tg::Tensor>{b});
  optim::SGD opt(groups, optim::SGDOptions(0.1));
  opt.add_param_group(optim::OptimizerParamGroup({c}, std::make_unique<optim::SGDOptions>(1.0)));
  REQUIRE(opt.param_groups().size() == 3);
  CHECK(opt.size() == 3);
  CHECK(opt.parameters().size() == 1);  // the first group's, as LibTorch
  for (auto* p : {&a, &b, &c}) p->backward(Array<float>{1.f});
  opt.step();
  CHECK(a.value()(0) == doctest::Approx(0.5));
  CHECK(b.value()(0) == doctest::Approx(0.9));
  CHECK(c.value()(0) == doctest::Approx(0.0));

  opt.param_groups()[1].options().set_lr(0.2);
  CHECK(opt.lr() == 0.5);  // the first group's
  opt.set_lr(0.25);         // every group's
  for (const auto& g : opt.param_groups()) CHECK(g.options().get_lr() == 0.25);
  CHECK_THROWS_WITH_AS(opt.set_lr(-1.0), doctest::Contains("SGD: invalid learning rate"), tg::Error);

  opt.zero_grad(/*set_to_none=*/true);
  for (auto* p : {&a, &b, &c}) CHECK_FALSE(p->has_grad());
}

TEST_CASE("Optimizer: add_parameters extends the first group, a parameter given twice is rejected") {
  auto a = param({1.f}), b = param({2.f});
  optim::Adam opt({a}, optim::AdamOptions(0.1));
  opt.add_parameters({b});
  CHECK(opt.parameters().size() == 2);
  CHECK_THROWS_WITH_AS(opt.add_param_group(optim::OptimizerParamGroup({a})),
                       doctest::Contains("optimizer: parameter 2 of shape (1,) appears more than once"), tg::Error);
  CHECK_THROWS_WITH_AS(optim::Adam({a, a}), doctest::Contains("appears more than once"), tg::Error);
  CHECK_THROWS_WITH_AS(optim::Adam({Variable<float>()}), doctest::Contains("optimizer: parameter 0 is undefined"),
                       tg::Error);
  CHECK(opt.size() == 2);
  optim::SGD empty(std::vector<optim::OptimizerParamGroup>{}, optim::SGDOptions(0.1));
  CHECK_THROWS_WITH_AS(empty.parameters(), doctest::Contains("SGD: parameters(): the optimizer has no parameter groups"),
                       tg::Error);
}

TEST_CASE("Optimizer: a group's options must be the optimizer's kind and valid") {
  auto a = param({1.f});
  std::vector<optim::OptimizerParamGroup> groups;
  groups.emplace_back(std::vector<tg::Tensor>{a}, std::make_unique<optim::SGDOptions>(0.1));
  CHECK_THROWS_WITH_AS(optim::Adam(groups, optim::AdamOptions()), doctest::Contains("Adam: a parameter group has another optimizer's options"),
                       tg::Error);
  groups[0].set_options(std::make_unique<optim::AdamOptions>(-1.0));
  CHECK_THROWS_WITH_AS(optim::Adam(groups, optim::AdamOptions()), doctest::Contains("Adam: invalid learning rate"), tg::Error);
}

TEST_CASE("Optimizer: bad options throw as LibTorch's checks do, naming the optimizer and the option") {
  auto p = param({1.f});
  using optim::AdamOptions;
  CHECK_THROWS_WITH_AS(optim::Adam({p}, AdamOptions(-0.1)), doctest::Contains("Adam: invalid learning rate"), tg::Error);
  CHECK_THROWS_WITH_AS(optim::Adam({p}, AdamOptions().eps(-1)), doctest::Contains("Adam: invalid epsilon value"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(optim::Adam({p}, AdamOptions().betas({1.0, 0.999})),
                       doctest::Contains("Adam: invalid beta parameter at index 0: 1"), tg::Error);
  CHECK_THROWS_WITH_AS(optim::Adam({p}, AdamOptions().betas({0.9, -0.1})),
                       doctest::Contains("Adam: invalid beta parameter at index 1"), tg::Error);
  CHECK_THROWS_WITH_AS(optim::Adam({p}, AdamOptions().weight_decay(-1)),
                       doctest::Contains("Adam: invalid weight_decay value"), tg::Error);
  CHECK_THROWS_WITH_AS(optim::AdamW({p}, optim::AdamWOptions().betas({0.9, 1.0})),
                       doctest::Contains("AdamW: invalid beta parameter at index 1"), tg::Error);
  CHECK_THROWS_WITH_AS(optim::RMSprop({p}, optim::RMSpropOptions().alpha(-0.5)),
                       doctest::Contains("RMSprop: invalid alpha value"), tg::Error);
  CHECK_THROWS_WITH_AS(optim::RMSprop({p}, optim::RMSpropOptions().momentum(-0.5)),
                       doctest::Contains("RMSprop: invalid momentum value"), tg::Error);
  CHECK_THROWS_WITH_AS(optim::Adagrad({p}, optim::AdagradOptions().lr_decay(-1)),
                       doctest::Contains("Adagrad: invalid lr_decay value"), tg::Error);
  CHECK_THROWS_WITH_AS(optim::Adagrad({p}, optim::AdagradOptions().initial_accumulator_value(-1)),
                       doctest::Contains("Adagrad: invalid initial_accumulator_value value"), tg::Error);
  CHECK_NOTHROW(optim::Adam({p}, AdamOptions().betas({0.0, 0.0})));
}

TEST_CASE("Optimizer: LibTorch's defaults") {
  const optim::AdamOptions adam;
  CHECK(adam.lr() == 1e-3);
  CHECK(adam.betas() == std::make_tuple(0.9, 0.999));
  CHECK(adam.eps() == 1e-8);
  CHECK(adam.weight_decay() == 0);
  CHECK_FALSE(adam.amsgrad());
  CHECK(optim::AdamWOptions().weight_decay() == 1e-2);
  const optim::RMSpropOptions rmsprop;
  CHECK(rmsprop.lr() == 1e-2);
  CHECK(rmsprop.alpha() == 0.99);
  CHECK(rmsprop.eps() == 1e-8);
  const optim::AdagradOptions adagrad;
  CHECK(adagrad.lr() == 1e-2);
  CHECK(adagrad.eps() == 1e-10);
}

TEST_CASE("Optimizer: step(closure) evaluates the loss with grad mode on and returns it") {
  auto w = param({3.f});
  optim::SGD opt({w}, optim::SGDOptions(0.1));
  tg::NoGradGuard no_grad;
  auto loss = opt.step([&] {
    opt.zero_grad();
    auto l = tg::sum(w * w);
    l.backward();
    return l;
  });
  CHECK(loss.item<double>() == doctest::Approx(9.f));
  CHECK(w.value()(0) == doctest::Approx(3.f - 0.1f * 6.f));
  CHECK_FALSE(opt.step().defined());
}

TEST_CASE("Optimizer: state appears at a parameter's first step, with LibTorch's fields") {
  auto a = param({1.f, 2.f}), b = param({3.f});
  optim::Adam opt({a, b}, optim::AdamOptions(0.1).amsgrad(true));
  a.backward(Array<float>{1.f, 1.f});
  opt.step();
  opt.step();  // a's gradient is still there: a second step
  CHECK(opt.state().size() == 1);
  const auto& s = static_cast<const optim::AdamParamState&>(*opt.state().at(optim::Optimizer::state_key(a)));
  CHECK(s.step() == 2);
  CHECK(s.exp_avg().shape() == a.value().shape());
  CHECK(s.max_exp_avg_sq().defined());
  CHECK_FALSE(opt.state().count(optim::Optimizer::state_key(b)));
}

TEST_CASE("Optimizer: a parameter replaced by one of another shape after its first step is an error, not UB") {
  auto a = param({1.f, 2.f});
  optim::RMSprop opt({a});
  a.backward(Array<float>{1.f, 1.f});
  opt.step();
  a.value() = Array<float>{1.f, 2.f, 3.f};
  a.grad() = Array<float>{1.f, 1.f, 1.f};
  CHECK_THROWS_WITH_AS(opt.step(), doctest::Contains("RMSprop: a parameter of shape"), tg::Error);
}
