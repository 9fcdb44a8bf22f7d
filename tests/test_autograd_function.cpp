// tg::autograd::Function (custom ops written as LibTorch's) and tg::autograd::grad.
#include <doctest/doctest.h>

#include <tapegrad/tapegrad.hpp>

#include <string>

using tg::Tensor;
using tg::autograd::AutogradContext;
using tg::autograd::variable_list;

namespace {

// The README's example: y = x * k, k a plain double kept in saved_data.
struct MulConst : tg::autograd::Function<MulConst> {
  static Tensor forward(AutogradContext* ctx, Tensor x, double k) {
    ctx->saved_data["k"] = k;
    return x * k;
  }
  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    return {grad_outputs[0] * ctx->saved_data["k"].toDouble(), Tensor()};
  }
};

// y = k * x * exp(w), w broadcast along x's rows. backward returns w's gradient unsummed (x's shape):
// apply sums it back to w's, as LibTorch does.
struct ScaledExpMul : tg::autograd::Function<ScaledExpMul> {
  static Tensor forward(AutogradContext* ctx, const Tensor& x, const Tensor& w, double k) {
    ctx->save_for_backward({x, w});
    ctx->saved_data["k"] = k;
    return k * x * tg::exp(w);
  }
  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    const variable_list saved = ctx->get_saved_variables();
    const double k = ctx->saved_data["k"].toDouble();
    const Tensor e = tg::exp(saved[1]);
    const Tensor g = grad_outputs[0] * k;
    return {ctx->needs_input_grad(0) ? g * e : Tensor(), ctx->needs_input_grad(1) ? g * saved[0] * e : Tensor(),
            Tensor()};
  }
};

struct WrongCount : tg::autograd::Function<WrongCount> {
  static Tensor forward(AutogradContext*, const Tensor& x) { return x * 2.0; }
  static variable_list backward(AutogradContext*, variable_list g) { return {g[0], g[0]}; }
};

struct WrongShape : tg::autograd::Function<WrongShape> {
  static Tensor forward(AutogradContext*, const Tensor& x) { return x.sum(); }
  static variable_list backward(AutogradContext*, variable_list) { return {tg::ones({5})}; }
};

struct GradForDouble : tg::autograd::Function<GradForDouble> {
  static Tensor forward(AutogradContext*, const Tensor& x, double k) { return x * k; }
  static variable_list backward(AutogradContext*, variable_list g) { return {g[0], g[0]}; }
};

struct ToFloat : tg::autograd::Function<ToFloat> {
  static Tensor forward(AutogradContext*, const Tensor& x) { return x.to(tg::kFloat); }
  static variable_list backward(AutogradContext*, variable_list g) { return {g[0]}; }
};

struct Argmax : tg::autograd::Function<Argmax> {
  static Tensor forward(AutogradContext* ctx, const Tensor& x) {
    Tensor i = x.argmax().to(tg::kFloat);
    ctx->mark_non_differentiable({i});
    return i;
  }
  static variable_list backward(AutogradContext*, variable_list) { return {Tensor()}; }
};

Tensor leaf(tg::IntArrayRef shape, tg::ScalarType dtype, unsigned seed) {
  tg::manual_seed(seed);
  return tg::randn(shape, tg::TensorOptions().dtype(dtype).requires_grad(true));
}

void check_close(const Tensor& a, const Tensor& b) {
  REQUIRE(a.defined());
  REQUIRE(b.defined());
  CHECK(a.sizes() == b.sizes());
  REQUIRE(a.scalar_type() == b.scalar_type());
  if (a.scalar_type() == tg::kFloat)
    CHECK(tg::allclose(a.variable<float>(), b.variable<float>(), 1e-5, 1e-6));
  else
    CHECK(tg::allclose(a.variable<double>(), b.variable<double>(), 1e-10, 1e-12));
}

}  // namespace

TEST_CASE("autograd::Function: the README example records one op whose backward reaches x") {
  Tensor x = tg::tensor({1.0f, -2.0f, 3.0f}).requires_grad_();
  Tensor y = MulConst::apply(x, 2.0);
  CHECK(y.requires_grad());
  CHECK(!y.is_leaf());
  check_close(y, tg::tensor({2.0f, -4.0f, 6.0f}));
  (y * y).sum().backward();
  check_close(x.grad(), tg::tensor({8.0f, -16.0f, 24.0f}));  // d/dx (2x)^2 = 8x

  tg::NoGradGuard no_grad;  // nothing is recorded, as for any op
  CHECK(!MulConst::apply(x, 2.0).requires_grad());
}

TEST_CASE("autograd::Function: a custom op in float64 passes gradcheck, its broadcast gradient summed back") {
  const Tensor x = leaf({3, 4}, tg::kDouble, 1), w = leaf({1, 4}, tg::kDouble, 2);
  const auto r = tg::autograd::gradcheck([](const variable_list& in) { return ScaledExpMul::apply(in[0], in[1], 1.5); },
                                         {x, w});
  CHECK_MESSAGE(r.ok, r.message);

  // Only w requires grad: needs_input_grad says so, and x gets nothing.
  const Tensor c = tg::randn({3, 4}, tg::kDouble);
  ScaledExpMul::apply(c, w, 1.5).sum().backward();
  check_close(w.grad(), (1.5 * c * tg::exp(w)).sum({0}, /*keepdim=*/true));
  CHECK(!c.grad().defined());
}

TEST_CASE("autograd::AutogradContext: saved_data holds numbers, tensors and strings; a wrong read is named") {
  AutogradContext ctx;
  ctx.saved_data["n"] = 3;
  ctx.saved_data["t"] = tg::ones({2});
  ctx.saved_data["s"] = "mean";
  CHECK(ctx.saved_data["n"].toInt() == 3);
  CHECK(ctx.saved_data["n"].toDouble() == 3.0);
  CHECK(ctx.saved_data["t"].toTensor().numel() == 2);
  CHECK(ctx.saved_data["s"].toStringRef() == "mean");
  CHECK_THROWS_WITH_AS(ctx.saved_data["s"].toDouble(), "IValue: expected a number, holds a string", tg::Error);
  CHECK_THROWS_WITH_AS(ctx.saved_data["n"].toTensor(), "IValue: expected a Tensor, holds a number", tg::Error);
}

TEST_CASE("autograd::Function: a non-differentiable output records nothing") {
  const Tensor x = leaf({5}, tg::kFloat, 3);
  const Tensor i = Argmax::apply(x);
  CHECK(!i.requires_grad());
  CHECK(i.item<std::int64_t>() == x.argmax().item<std::int64_t>());
}

TEST_CASE("autograd::Function: a wrong backward is an error naming the function") {
  const Tensor x = leaf({2, 3}, tg::kFloat, 4);
  auto message_of = [](const Tensor& y) {
    try {
      y.sum().backward();
    } catch (const tg::Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string count = message_of(WrongCount::apply(x));
  CHECK_MESSAGE(count.find("WrongCount: backward returned 2 gradients, expected 1") != std::string::npos, count);
  const std::string shape = message_of(WrongShape::apply(x));
  CHECK_MESSAGE(shape.find("WrongShape: backward returned a gradient of shape (5,) for input 0 of shape (2, 3)") !=
                    std::string::npos,
                shape);
  const std::string non_tensor = message_of(GradForDouble::apply(x, 2.0));
  CHECK_MESSAGE(non_tensor.find("GradForDouble: backward returned a gradient for argument 1, which is not a Tensor") !=
                    std::string::npos,
                non_tensor);
  // A Double input requiring grad with a Float result cannot be recorded (separate tapes).
  const Tensor d = leaf({2}, tg::kDouble, 5);
  CHECK_THROWS_WITH_AS(ToFloat::apply(d), doctest::Contains("ToFloat: input 0 is Double and requires grad, but forward returned Float"),
                       tg::Error);
}

TEST_CASE("autograd::grad agrees with backward's .grad and leaves every .grad untouched") {
  const Tensor x = leaf({3, 4}, tg::kDouble, 6), w = leaf({1, 4}, tg::kDouble, 7), b = leaf({4}, tg::kDouble, 8);
  b.backward(tg::ones({4}, tg::kDouble));  // b holds a gradient of ones from earlier
  const Tensor loss = (ScaledExpMul::apply(x, w, 0.5) + b).pow(2).sum();
  const variable_list g = tg::autograd::grad({loss}, {x, w}, {}, /*retain_graph=*/true);
  CHECK(!x.grad().defined());
  CHECK(!w.grad().defined());
  check_close(b.grad(), tg::ones({4}, tg::kDouble));  // not asked for: left as it was

  loss.backward();
  check_close(g[0], x.grad());
  check_close(g[1], w.grad());

  // A non-scalar output takes its seed from grad_outputs; a leaf output is its own gradient.
  const Tensor y = x * 3.0;
  const Tensor seed = tg::randn({3, 4}, tg::kDouble);
  check_close(tg::autograd::grad({y}, {x}, {seed})[0], seed * 3.0);
  check_close(tg::autograd::grad({b.sum()}, {b})[0], tg::ones({4}, tg::kDouble));
}

TEST_CASE("autograd::grad: errors name the argument and what was expected") {
  const Tensor x = leaf({3}, tg::kFloat, 9), unused = leaf({3}, tg::kFloat, 10);
  CHECK_THROWS_WITH_AS(tg::autograd::grad({(x * 2.0).sum()}, {unused}, {}, true),
                       doctest::Contains("input 0 was not used to compute the outputs; pass allow_unused=true"),
                       tg::Error);
  CHECK(!x.grad().defined());  // the failed call put every gradient back
  const variable_list g = tg::autograd::grad({(x * 2.0).sum()}, {x, unused}, {}, false, false, /*allow_unused=*/true);
  CHECK(!g[1].defined());
  const Tensor h = x * 2.0;
  CHECK_THROWS_WITH_AS(tg::autograd::grad({h.sum()}, {h}), doctest::Contains("input 0 is not a leaf"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::autograd::grad({x * 2.0}, {x}), doctest::Contains("is not a scalar; pass its grad_outputs"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::autograd::grad({x.sum()}, {leaf({3}, tg::kDouble, 11)}),
                       doctest::Contains("input 0 is Double; expected every output and input to be Float"), tg::Error);
}
