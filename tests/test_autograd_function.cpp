// tg::autograd::Function (custom ops written as LibTorch's) and tg::autograd::grad.
#include <doctest/doctest.h>

#include <tapegrad/tapegrad.hpp>

#include <atomic>
#include <string>
#include <vector>
#include <thread>

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

// Two outputs of x's shape: x * w (w broadcast along rows) and exp(x). backward gets one gradient per
// output and records whether each arrived as zeros (materialized) or undefined.
struct MulAndExp : tg::autograd::Function<MulAndExp> {
  static inline std::vector<std::string> seen;  // per backward call: "zeros", "undefined" or "grad" per output
  static variable_list forward(AutogradContext* ctx, const Tensor& x, const Tensor& w, bool materialize) {
    ctx->save_for_backward({x, w});
    ctx->set_materialize_grads(materialize);
    return {x * w, tg::exp(x)};
  }
  static variable_list backward(AutogradContext* ctx, variable_list g) {
    for (const Tensor& gi : g)
      seen.push_back(!gi.defined() ? "undefined" : gi.abs().sum().item<double>() == 0 ? "zeros" : "grad");
    const Tensor x = ctx->get_saved_variables()[0], w = ctx->get_saved_variables()[1];
    Tensor dx = tg::zeros_like(x), dw = tg::zeros_like(x);
    if (g[0].defined()) {
      dx = dx + g[0] * w;
      dw = dw + g[0] * x;
    }
    if (g[1].defined()) dx = dx + g[1] * tg::exp(x);
    return {dx, dw, Tensor()};
  }
};

// torch.max(x, dim)'s shape: values (differentiable) and Long indices (not), one backward.
struct MaxWithIndex : tg::autograd::Function<MaxWithIndex> {
  static variable_list forward(AutogradContext* ctx, const Tensor& x) {
    const Tensor values = x.amax(1), indices = x.argmax(1);
    ctx->save_for_backward({x, values});
    return {values, indices};
  }
  static variable_list backward(AutogradContext* ctx, variable_list g) {
    const Tensor x = ctx->get_saved_variables()[0], values = ctx->get_saved_variables()[1];
    const Tensor at_max = x.eq(values.unsqueeze(1)).to(x.scalar_type());  // no ties in the tests
    return {at_max * g[0].unsqueeze(1)};
  }
};

// Tensor arguments after a non-Tensor one: needs_input_grad counts Tensor arguments only.
struct ScaleAfterNumber : tg::autograd::Function<ScaleAfterNumber> {
  static inline std::vector<bool> needs;
  static Tensor forward(AutogradContext*, double k, const Tensor& x, const Tensor& w) { return x * w * k; }
  static variable_list backward(AutogradContext* ctx, variable_list g) {
    needs = {ctx->needs_input_grad(0), ctx->needs_input_grad(1), ctx->needs_input_grad(2)};
    return {Tensor(), g[0], g[0]};  // wrong values, right count: only the flags are looked at
  }
};

// A list argument: each element is an input with a gradient of its own (LibTorch's TensorList).
// Spelled with torch/autograd.h's short names, tg::AutogradContext and tg::variable_list.
struct WeightedPair : tg::autograd::Function<WeightedPair> {
  static Tensor forward(tg::AutogradContext* ctx, const tg::variable_list& xs, double k) {
    ctx->save_for_backward(xs);
    return k * xs[0] * xs[1];
  }
  static variable_list backward(AutogradContext* ctx, variable_list g) {
    const variable_list xs = ctx->get_saved_variables();
    return {g[0] * xs[1] * 0.5, g[0] * xs[0] * 0.5, Tensor()};
  }
};

// Two floating outputs, the second marked non-differentiable: the first is recorded alone.
struct DoubleAndSign : tg::autograd::Function<DoubleAndSign> {
  static variable_list forward(AutogradContext* ctx, const Tensor& x) {
    const Tensor sign = x.gt(0.0).to(x.scalar_type()) * 2.0 - 1.0;
    ctx->mark_non_differentiable({sign});
    return {x * 2.0, sign};
  }
  static variable_list backward(AutogradContext*, variable_list g) {
    CHECK(g[1].abs().sum().item<double>() == 0.0);  // the marked output's gradient: zeros
    return {g[0] * 2.0};
  }
};

// The identity, counting its backward calls.
struct CountedIdentity : tg::autograd::Function<CountedIdentity> {
  static inline int backward_calls = 0;
  static Tensor forward(AutogradContext*, const Tensor& x) { return x * 1.0; }
  static variable_list backward(AutogradContext*, variable_list g) {
    ++backward_calls;
    return {g[0]};
  }
};

struct MixedDtypes : tg::autograd::Function<MixedDtypes> {
  static variable_list forward(AutogradContext*, const Tensor& x) { return {x.argmax(), x * 2.0, x.to(tg::kFloat)}; }
  static variable_list backward(AutogradContext*, variable_list g) { return {g[1]}; }
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

TEST_CASE("autograd::AutogradContext: saved_data holds numbers, tensors and strings, a wrong read is named") {
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
  CHECK_THROWS_WITH_AS(MixedDtypes::apply(d),
                       doctest::Contains("MixedDtypes: forward returned a Double output 1 and a Float output 2"), tg::Error);
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
  CHECK(!x.grad().defined());
  x.backward(tg::ones({3}));  // a gradient from earlier, which a failing grad() must leave as it is
  CHECK_THROWS_WITH_AS(tg::autograd::grad({WrongCount::apply(x * 3.0).sum()}, {x}),
                       doctest::Contains("WrongCount: backward returned 2 gradients"), tg::Error);
  check_close(x.grad(), tg::ones({3}));
  x.grad().zero_();
  const variable_list g = tg::autograd::grad({(x * 2.0).sum()}, {x, unused}, {}, false, false, /*allow_unused=*/true);
  CHECK(!g[1].defined());
  CHECK_THROWS_WITH_AS(tg::autograd::grad({(x * 2.0).sum()}, {x.detach()}), doctest::Contains("input 0 does not require grad"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::autograd::grad({x * 2.0}, {x}), doctest::Contains("is not a scalar; pass its grad_outputs"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::autograd::grad({x.sum()}, {leaf({3}, tg::kDouble, 11)}),
                       doctest::Contains("input 0 is Double; expected every output and input to be Float"), tg::Error);
}

TEST_CASE("autograd::grad leaves .grad alone while another thread's backward accumulates into the same leaves") {
  // Thread B runs backward on its own graph over w, adding b into w.grad each pass, for as long as
  // this thread keeps asking grad() for d/dw sum(w * a) = a. Every value is exact in float64, so a
  // gradient moved aside, lost or mixed between the two shows as a wrong number.
  const Tensor w = tg::arange(4096, tg::kDouble).requires_grad_();
  const Tensor a = tg::full({4096}, 1.5, tg::kDouble), b = tg::full({4096}, -0.25, tg::kDouble);
  std::atomic<bool> started{false}, stop{false};
  int passes = 0;
  std::string other_error, error;
  std::thread other([&] {
    started = true;
    try {
      for (; !stop; ++passes) (w * b).sum().backward();
    } catch (const tg::Error& e) {
      other_error = e.what();
    }
  });
  while (!started) std::this_thread::yield();
  int wrong = 0;
  for (int call = 0; call < 3000; ++call) {
    try {
      const Tensor g = tg::autograd::grad({(w * a).sum()}, {w})[0];
      if (!tg::allclose(g.variable<double>(), a.variable<double>(), 0.0, 0.0)) ++wrong;
    } catch (const tg::Error& e) {
      error = e.what();
      ++wrong;
    }
  }
  stop = true;
  other.join();
  CHECK_MESSAGE(wrong == 0, error);
  CHECK_MESSAGE(other_error.empty(), other_error);
  CHECK(passes > 0);
  CHECK(tg::allclose(w.grad().variable<double>(), (b * double(passes)).variable<double>(), 0.0, 0.0));
}

TEST_CASE("autograd::Function with several outputs: one backward, a gradient per output, float64 gradcheck") {
  const Tensor x = leaf({3, 4}, tg::kDouble, 12), w = leaf({1, 4}, tg::kDouble, 13);
  using Fn = tg::autograd::TensorGradcheckFn;
  const Fn both = [](const variable_list& in) {
    const variable_list o = MulAndExp::apply(in[0], in[1], true);
    return o[0] + 2.0 * o[1];
  };
  const Fn first = [](const variable_list& in) { return MulAndExp::apply(in[0], in[1], true)[0]; };
  const Fn second = [](const variable_list& in) { return MulAndExp::apply(in[0], in[1], true)[1]; };
  for (const Fn& fn : {both, first, second}) {
    const auto r = tg::autograd::gradcheck(fn, {x, w});
    CHECK_MESSAGE(r.ok, r.message);
  }

  // An output that does not reach the loss gets zeros, or an undefined Tensor when not materialized.
  MulAndExp::seen.clear();
  MulAndExp::apply(x, w, true)[1].sum().backward();
  CHECK(MulAndExp::seen == std::vector<std::string>{"zeros", "grad"});
  check_close(x.grad(), tg::exp(x));
  check_close(w.grad(), tg::zeros({1, 4}, tg::kDouble));  // backward's dw from the zeros
  x.grad().zero_();
  MulAndExp::seen.clear();
  MulAndExp::apply(x, w, false)[0].sum().backward();
  CHECK(MulAndExp::seen == std::vector<std::string>{"grad", "undefined"});
  check_close(w.grad(), x.sum({0}, true));

  // Both reaching the loss: backward runs once per sweep, also when a retained graph is swept again.
  x.grad().zero_();
  MulAndExp::seen.clear();
  const variable_list o = MulAndExp::apply(x, w, true);
  const Tensor loss = (o[0] * o[1]).sum();
  loss.backward({}, /*retain_graph=*/true);
  loss.backward();
  CHECK(MulAndExp::seen == std::vector<std::string>{"grad", "grad", "grad", "grad"});
  check_close(x.grad(), 2.0 * (w * tg::exp(x) + x * w * tg::exp(x)));
}

TEST_CASE("autograd::Function: an integer output is not differentiable, the others are") {
  const Tensor x = tg::tensor({{0.5, -1.0, 2.0}, {3.0, 0.25, -2.0}}, tg::kDouble).requires_grad_();
  const variable_list o = MaxWithIndex::apply(x);
  CHECK(o[0].requires_grad());
  CHECK(!o[1].requires_grad());
  CHECK(o[1].scalar_type() == tg::kLong);
  CHECK(o[1].eq(x.argmax(1)).sum().item<std::int64_t>() == 2);
  const auto r = tg::autograd::gradcheck([](const variable_list& in) { return MaxWithIndex::apply(in[0])[0]; }, {x});
  CHECK_MESSAGE(r.ok, r.message);
}

TEST_CASE("autograd::Function: an output passed to mark_non_differentiable does not require grad, the others do") {
  const Tensor x = tg::tensor({-1.5, 2.0, 0.5}, tg::kDouble).requires_grad_();
  const variable_list o = DoubleAndSign::apply(x);
  CHECK(o[0].requires_grad());
  CHECK(!o[1].requires_grad());
  check_close(o[1], tg::tensor({-1.0, 1.0, 1.0}, tg::kDouble));
  const auto r = tg::autograd::gradcheck([](const variable_list& in) { return DoubleAndSign::apply(in[0])[0]; }, {x});
  CHECK_MESSAGE(r.ok, r.message);
}

TEST_CASE("autograd::AutogradContext::needs_input_grad counts Tensor arguments, as LibTorch's edges") {
  const Tensor x = leaf({3}, tg::kFloat, 14), w = tg::randn({3});
  ScaleAfterNumber::apply(2.0, x, w).sum().backward();
  CHECK(ScaleAfterNumber::needs == std::vector<bool>{true, false, false});
}

TEST_CASE("autograd::grad with respect to intermediate tensors") {
  const Tensor x = leaf({4, 3}, tg::kDouble, 15), w = leaf({3, 2}, tg::kDouble, 16);
  const Tensor h = tg::matmul(x, w);
  const Tensor a = tg::tanh(h);
  const Tensor loss = (a * a).sum() + h.sum();
  const variable_list g = tg::autograd::grad({loss}, {h, a, x}, {}, /*retain_graph=*/true);
  loss.backward();
  check_close(g[2], x.grad());
  // grad() wrote no .grad: x's and w's are backward's alone.
  check_close(w.grad(), tg::matmul(x.transpose(0, 1), g[0]));
  check_close(g[1], 2.0 * a);
  // h's against the same function of a fresh leaf, whose gradient gradcheck confirms in float64.
  const Tensor h_leaf = h.detach().requires_grad_();
  auto from_h = [](const variable_list& in) { const Tensor t = tg::tanh(in[0]); return (t * t).sum() + in[0].sum(); };
  const auto r = tg::autograd::gradcheck(from_h, {h_leaf});
  CHECK_MESSAGE(r.ok, r.message);
  check_close(g[0], tg::autograd::grad({from_h({h_leaf})}, {h_leaf})[0]);

  // An output asked about itself gets its seed; a freed graph is named.
  const Tensor y = x * 2.0;
  const Tensor seed = tg::randn({4, 3}, tg::kDouble);
  check_close(tg::autograd::grad({y}, {y}, {seed})[0], seed);
  const Tensor x_grad = x.grad() * 1.0;  // a copy: backward's
  check_close(tg::autograd::grad({x}, {x}, {seed})[0], seed);  // a leaf too, its .grad untouched
  check_close(x.grad(), x_grad);
  // Nothing of y's own graph ran: it stays usable, as in LibTorch, until a backward runs it.
  check_close(tg::autograd::grad({y.sum()}, {y})[0], tg::ones_like(y));
  y.sum().backward();
  CHECK_THROWS_WITH_AS(tg::autograd::grad({y.sum()}, {y}), doctest::Contains("the graph of input 0 was already freed"),
                       tg::Error);
}

TEST_CASE("autograd::grad with respect to intermediate tensors only sweeps the graph after them") {
  const Tensor x = leaf({2, 3}, tg::kDouble, 20);
  const Tensor h = tg::exp(CountedIdentity::apply(x)), u = h * 2.0;
  const Tensor loss = (u * u).sum();
  CountedIdentity::backward_calls = 0;
  const variable_list g = tg::autograd::grad({loss}, {u, h}, {}, /*retain_graph=*/true);
  CHECK(CountedIdentity::backward_calls == 0);
  check_close(g[0], 2.0 * u);
  check_close(g[1], 8.0 * h);
  // What the sweep stopped before holds no gradient: a backward through the retained graph is exact.
  loss.backward();
  CHECK(CountedIdentity::backward_calls == 1);
  check_close(x.grad(), 8.0 * h * h);
}

TEST_CASE("autograd::grad: retain_graph defaults to create_graph (false), create_graph=true is named unsupported") {
  const Tensor x = leaf({3}, tg::kFloat, 17);
  const Tensor loss = (x * x).sum();
  tg::autograd::grad({loss}, {x});
  CHECK_THROWS_WITH_AS(tg::autograd::grad({loss}, {x}), doctest::Contains("output 0 was already freed"), tg::Error);
  const Tensor kept = (x * x).sum();
  check_close(tg::autograd::grad({kept}, {x}, {}, true)[0], 2.0 * x);
  check_close(tg::autograd::grad({kept}, {x})[0], 2.0 * x);
  CHECK_THROWS_WITH_AS(tg::autograd::grad({(x * x).sum()}, {x}, {}, std::nullopt, /*create_graph=*/true),
                       doctest::Contains("create_graph=true is not supported"), tg::Error);
}

TEST_CASE("autograd::Function: the Tensors of a std::vector<Tensor> argument are inputs each, float64 gradcheck") {
  const Tensor a = leaf({2, 3}, tg::kDouble, 18), b = leaf({2, 3}, tg::kDouble, 19);
  const auto r = tg::autograd::gradcheck(
      [](const variable_list& in) { return WeightedPair::apply(variable_list{in[0], in[1]}, 0.5); }, {a, b});
  CHECK_MESSAGE(r.ok, r.message);
}
