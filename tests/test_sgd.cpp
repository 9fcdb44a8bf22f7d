#include "check.hpp"

using tg::Array;
using tg::Variable;
using tg::optim::SGD;
using tg::optim::SGDOptions;
using tgtest::param;

namespace {

// One training step with a chosen gradient: zero_grad, a backward that writes exactly `g`, step.
void step_with(SGD& opt, std::vector<std::pair<Variable<float>, Array<float>>> grads) {
  opt.zero_grad();
  for (auto& [p, g] : grads) p.backward(g);
  opt.step();
}

void check_value(const Variable<float>& p, const Array<float>& expected) {
  CHECK_MESSAGE(tgtest::allclose(p.value(), expected), p.value(), " != ", expected);
}

}  // namespace

TEST_CASE("SGD: plain steps, by hand") {
  auto p = param({1.f, -2.f});
  SGD opt({p}, SGDOptions(0.1));
  step_with(opt, {{p, {0.5f, 1.f}}});
  check_value(p, {0.95f, -2.1f});  // 1 - 0.1*0.5, -2 - 0.1*1
  step_with(opt, {{p, {1.f, -1.f}}});
  check_value(p, {0.85f, -2.0f});
}

TEST_CASE("SGD: momentum, dampening, nesterov, by hand") {
  SUBCASE("momentum 0.9: buf = g on the first step, then 0.9 buf + g") {
    auto p = param({1.f});
    SGD opt({p}, SGDOptions(0.1).momentum(0.9));
    step_with(opt, {{p, {1.f}}});  // buf 1, p = 1 - 0.1
    check_value(p, {0.9f});
    step_with(opt, {{p, {2.f}}});  // buf 0.9 + 2 = 2.9, p = 0.9 - 0.29
    check_value(p, {0.61f});
    step_with(opt, {{p, {0.f}}});  // buf 2.61, p = 0.61 - 0.261
    check_value(p, {0.349f});
  }
  SUBCASE("dampening 0.5 applies from the second step on (LibTorch's first buffer is undamped)") {
    auto p = param({1.f});
    SGD opt({p}, SGDOptions(0.1).momentum(0.9).dampening(0.5));
    step_with(opt, {{p, {1.f}}});  // buf 1, p 0.9
    check_value(p, {0.9f});
    step_with(opt, {{p, {2.f}}});  // buf 0.9 + 0.5*2 = 1.9, p = 0.9 - 0.19
    check_value(p, {0.71f});
  }
  SUBCASE("nesterov: d = g + momentum * buf") {
    auto p = param({1.f});
    SGD opt({p}, SGDOptions(0.1).momentum(0.9).nesterov(true));
    step_with(opt, {{p, {1.f}}});  // buf 1, d = 1 + 0.9 = 1.9, p = 1 - 0.19
    check_value(p, {0.81f});
    step_with(opt, {{p, {2.f}}});  // buf 2.9, d = 2 + 2.61 = 4.61, p = 0.81 - 0.461
    check_value(p, {0.349f});
  }
}

TEST_CASE("SGD: weight decay adds weight_decay * p to the gradient, before momentum") {
  SUBCASE("without momentum") {
    auto p = param({2.f, -1.f});
    SGD opt({p}, SGDOptions(0.1).weight_decay(0.1));
    step_with(opt, {{p, {1.f, 0.f}}});  // d = 1 + 0.2 = 1.2, 0 - 0.1 = -0.1
    check_value(p, {1.88f, -0.99f});
  }
  SUBCASE("with momentum 0.9") {
    auto p = param({2.f});
    SGD opt({p}, SGDOptions(0.1).momentum(0.9).weight_decay(0.1));
    step_with(opt, {{p, {1.f}}});  // d = 1.2, buf 1.2, p = 2 - 0.12
    check_value(p, {1.88f});
    step_with(opt, {{p, {1.f}}});  // d = 1 + 0.188 = 1.188, buf = 1.08 + 1.188 = 2.268, p = 1.88 - 0.2268
    check_value(p, {1.6532f});
  }
}

TEST_CASE("SGD: a parameter without a gradient is skipped, and its momentum starts at its own first step") {
  auto a = param({1.f}), b = param({1.f});
  SGD opt({a, b}, SGDOptions(0.1).momentum(0.9));
  step_with(opt, {{a, {1.f}}});
  check_value(a, {0.9f});
  check_value(b, {1.f});
  CHECK_FALSE(b.has_grad());
  step_with(opt, {{a, {1.f}}, {b, {1.f}}});
  check_value(a, {0.71f});  // buf 0.9 + 1 = 1.9
  check_value(b, {0.9f});   // buf 1: b's first step
}

TEST_CASE("SGD: zero_grad zeroes the gradients (a step with weight decay still moves them), zero_grad(true) frees them") {
  auto w = param({2.f});
  SGD decaying({w}, SGDOptions(0.1).weight_decay(0.5));
  w.backward(Array<float>{1.f});
  decaying.zero_grad();
  REQUIRE(w.has_grad());
  CHECK(w.grad()(0) == 0.f);
  decaying.step();  // d = 0 + 0.5 * 2, as LibTorch 1.13 steps a zeroed gradient
  check_value(w, {1.9f});

  auto a = param({{1.f, 2.f}, {3.f, 4.f}}), b = param({5.f});
  SGD opt({a, b}, SGDOptions(0.1));
  a.backward(Array<float>{{1.f, 1.f}, {1.f, 1.f}});
  b.backward(Array<float>{1.f});
  opt.zero_grad(/*set_to_none=*/true);
  CHECK_FALSE(a.has_grad());
  CHECK_FALSE(b.has_grad());
  opt.step();
  check_value(a, {{1.f, 2.f}, {3.f, 4.f}});
  check_value(b, {5.f});
  CHECK(opt.parameters().size() == 2);
}

TEST_CASE("SGD: set_lr takes effect on the next step") {
  auto p = param({1.f});
  SGD opt({p}, SGDOptions(0.1));
  opt.set_lr(0.5);
  CHECK(opt.lr() == 0.5);
  CHECK(static_cast<const SGDOptions&>(opt.param_groups()[0].options()).lr() == 0.5);
  step_with(opt, {{p, {1.f}}});
  check_value(p, {0.5f});
  CHECK_THROWS_WITH_AS(opt.set_lr(-1.0), doctest::Contains("invalid learning rate"), tg::Error);
}

TEST_CASE("SGD: invalid options throw, naming SGD and the option") {
  auto p = param({1.f});
  CHECK_THROWS_WITH_AS(SGD({p}, SGDOptions(0.1).nesterov(true)),
                       doctest::Contains("SGD: nesterov momentum requires momentum > 0 and dampening == 0"), tg::Error);
  CHECK_THROWS_WITH_AS(SGD({p}, SGDOptions(0.1).momentum(0.9).dampening(0.1).nesterov(true)),
                       doctest::Contains("SGD: nesterov momentum requires"), tg::Error);
  CHECK_THROWS_WITH_AS(SGD({p}, SGDOptions(-0.1)), doctest::Contains("SGD: invalid learning rate"), tg::Error);
  CHECK_THROWS_WITH_AS(SGD({p}, SGDOptions(0.1).momentum(-0.5)), doctest::Contains("SGD: invalid momentum"), tg::Error);
  CHECK_THROWS_WITH_AS(SGD({p}, SGDOptions(0.1).weight_decay(-1)), doctest::Contains("SGD: invalid weight_decay"),
                       tg::Error);
  CHECK_NOTHROW(SGD({p}, SGDOptions(0.1).momentum(0.9).nesterov(true)));
}

TEST_CASE("SGD: a parameter that is not a leaf is rejected") {
  auto p = param({1.f});
  auto q = p * 2.f;
  CHECK_THROWS_WITH_AS(SGD({q}, SGDOptions(0.1)), doctest::Contains("optimizer: parameter 0 of shape (1,) is not a leaf"),
                       tg::Error);
}
