// The activations beyond relu, leaky_relu, sigmoid, tanh and gelu, PReLU, GLU, and LibTorch's option
// classes for all of them: gradients, agreement with LibTorch 1.13, printing and errors.
#include <algorithm>
#include <functional>
#include <sstream>

#include "check.hpp"
#include "text_fixtures.hpp"

using doctest::Contains;
using tg::Array;
using tg::Tensor;
using tg::Variable;
using V = std::vector<Variable<double>>;
namespace F = tg::nn::functional;

namespace {

// Values in [-5, 5], each at least 0.05 from every kink in `kinks` (finite differences across a kink mean nothing).
Variable<double> off_kinks(const tg::Shape& shape, unsigned seed, std::initializer_list<double> kinks) {
  auto x = tgtest::rand_var(shape, seed, -5.0, 5.0);
  for (double& v : x.value())
    for (double k : kinks)
      if (std::abs(v - k) < 0.05) v = k + 0.1;
  return x;
}

using Layer = std::function<Tensor(const Tensor&)>;

template <class Holder>
Layer layer_of(Holder holder) {
  return [holder](const Tensor& x) mutable { return holder->forward(x); };
}

// Each layer of the activation_layers fixture, by its name there.
std::vector<std::pair<std::string, Layer>> fixture_layers() {
  using namespace tg::nn;
  return {{"elu", layer_of(ELU())},
          {"elu_a0.7", layer_of(ELU(ELUOptions().alpha(0.7)))},
          {"selu", layer_of(SELU())},
          {"celu_a1.8", layer_of(CELU(CELUOptions().alpha(1.8)))},
          {"silu", layer_of(SiLU())},
          {"mish", layer_of(Mish())},
          {"softplus", layer_of(Softplus())},
          {"softplus_b2_t5", layer_of(Softplus(SoftplusOptions().beta(2).threshold(5)))},
          {"hardtanh", layer_of(Hardtanh())},
          {"hardtanh_m2_1.5", layer_of(Hardtanh(HardtanhOptions().min_val(-2).max_val(1.5)))},
          {"relu6", layer_of(ReLU6())},
          {"hardsigmoid", layer_of(Hardsigmoid())},
          {"hardswish", layer_of(Hardswish())},
          {"logsigmoid", layer_of(LogSigmoid())},
          {"softsign", layer_of(Softsign())},
          {"tanhshrink", layer_of(Tanhshrink())},
          {"softshrink", layer_of(Softshrink())},
          {"softshrink_l1.2", layer_of(Softshrink(1.2))},
          {"hardshrink", layer_of(Hardshrink())},
          {"hardshrink_l1.2", layer_of(Hardshrink(HardshrinkOptions(1.2)))}};
}

}  // namespace

TEST_CASE("elementwise activations: float64 gradchecks away from the kinks") {
  const auto smooth = tgtest::rand_var({2, 3, 4}, 21, -5.0, 5.0);
  CHECK_GRADCHECK([](const V& in) { return tg::silu(in[0]); }, {smooth});
  CHECK_GRADCHECK([](const V& in) { return tg::mish(in[0]); }, {smooth});
  CHECK_GRADCHECK([](const V& in) { return tg::softplus(in[0]); }, {smooth});
  CHECK_GRADCHECK([](const V& in) { return tg::log_sigmoid(in[0]); }, {smooth});
  CHECK_GRADCHECK([](const V& in) { return tg::tanhshrink(in[0]); }, {smooth});
  const auto at0 = off_kinks({2, 3, 4}, 22, {0.0});
  CHECK_GRADCHECK([](const V& in) { return tg::elu(in[0]); }, {at0});
  CHECK_GRADCHECK([](const V& in) { return tg::elu(in[0], 0.7); }, {at0});
  CHECK_GRADCHECK([](const V& in) { return tg::selu(in[0]); }, {at0});
  CHECK_GRADCHECK([](const V& in) { return tg::celu(in[0], 1.8); }, {at0});
  CHECK_GRADCHECK([](const V& in) { return tg::softsign(in[0]); }, {at0});
  const auto beta = off_kinks({2, 3, 4}, 23, {2.5});
  CHECK_GRADCHECK([](const V& in) { return tg::softplus(in[0], 2.0, 5.0); }, {beta});
  const auto ends = off_kinks({2, 3, 4}, 24, {-2.0, 1.5, -1.0, 1.0, 0.0, 6.0, -3.0, 3.0, -0.5, 0.5, -1.2, 1.2});
  CHECK_GRADCHECK([](const V& in) { return tg::hardtanh(in[0]); }, {ends});
  CHECK_GRADCHECK([](const V& in) { return tg::hardtanh(in[0], -2.0, 1.5); }, {ends});
  CHECK_GRADCHECK([](const V& in) { return tg::relu6(in[0] * 2.0); }, {ends});
  CHECK_GRADCHECK([](const V& in) { return tg::hardsigmoid(in[0]); }, {ends});
  CHECK_GRADCHECK([](const V& in) { return tg::hardswish(in[0]); }, {ends});
  CHECK_GRADCHECK([](const V& in) { return tg::softshrink(in[0]); }, {ends});
  CHECK_GRADCHECK([](const V& in) { return tg::softshrink(in[0], 1.2); }, {ends});
  CHECK_GRADCHECK([](const V& in) { return tg::hardshrink(in[0]); }, {ends});
  CHECK_GRADCHECK([](const V& in) { return tg::hardshrink(in[0], 1.2); }, {ends});
}

TEST_CASE("activations at the kinks take LibTorch's slopes and stay finite for large inputs") {
  Variable<double> k(Array<double>{0.0, -3.0, 3.0, 6.0}, true);
  const Array<double> ones{1.0, 1.0, 1.0, 1.0};
  auto grad_of = [&](auto op) {
    k.zero_grad();
    op(k).backward(ones);
    return k.grad();
  };
  // elu's slope at 0 is alpha (the left side's), selu's scale·alpha, celu's 1.
  CHECK(grad_of([](const Variable<double>& x) { return tg::elu(x, 0.5); })(0) == 0.5);
  CHECK(grad_of([](const Variable<double>& x) { return tg::selu(x); })(0) == doctest::Approx(1.7580993408473766));
  CHECK(grad_of([](const Variable<double>& x) { return tg::celu(x, 2.0); })(0) == 1.0);
  CHECK(tgtest::allclose(grad_of([](const Variable<double>& x) { return tg::relu6(x); }), Array<double>{0, 0, 1, 0}));
  CHECK(tgtest::allclose(grad_of([](const Variable<double>& x) { return tg::hardsigmoid(x); }), Array<double>{1.0 / 6, 0, 0, 0}));
  CHECK(tgtest::allclose(grad_of([](const Variable<double>& x) { return tg::hardswish(x); }), Array<double>{0.5, -0.5, 1.5, 1}));
  CHECK(tgtest::allclose(grad_of([](const Variable<double>& x) { return tg::softshrink(x, 3.0); }), Array<double>{0, 0, 0, 1}));

  Variable<float> big(Array<float>{-1000.f, -100.f, 100.f, 1000.f});
  CHECK(tgtest::allclose(tg::softplus(big).value(), Array<float>{0.f, 0.f, 100.f, 1000.f}));
  CHECK(tgtest::allclose(tg::log_sigmoid(big).value(), Array<float>{-1000.f, -100.f, 0.f, 0.f}));
  CHECK(tgtest::allclose(tg::mish(big).value(), Array<float>{0.f, 0.f, 100.f, 1000.f}));
  CHECK(tgtest::allclose(tg::silu(big).value(), Array<float>{0.f, 0.f, 100.f, 1000.f}));
  CHECK(tgtest::allclose(tg::selu(big).value(), Array<float>{-1.7580993f, -1.7580993f, 105.07009f, 1050.7009f}));
  // softshrink sends NaN to 0, as torch's kernel; hardshrink keeps it.
  Variable<double> nan(Array<double>{std::numeric_limits<double>::quiet_NaN()});
  CHECK(tg::softshrink(nan).item() == 0.0);
  CHECK(std::isnan(tg::hardshrink(nan).item()));
  CHECK(std::isnan(tg::hardtanh(nan).item()));
}

TEST_CASE("activation layers agree with LibTorch on values and input gradients") {
  tgtest::TextFixture fx("activation_layers");
  for (auto& named : fixture_layers()) {
    const std::string name = named.first;
    CAPTURE(name);
    Tensor x(fx.array<double>("x"), true);
    Tensor y = named.second(x);
    CHECK_AGREES(y.value<double>(), fx.array<double>(name + ".y"));
    y.backward(Tensor(fx.array<double>(name + ".gy")));
    // LibTorch's float64 gradients of these two use a float32 constant (its kernel's 1.0f / 6.0f, and
    // derivatives.yaml's 1 / alpha.toFloat()); ours are exact, so they differ by 3e-8 relative, and celu's
    // by |x|·1.3e-8 (4e-7 at x = -30).
    if (name == "hardsigmoid" || name == "celu_a1.8")
      CHECK(tgtest::allclose(x.grad().value<double>(), fx.array<double>(name + ".grad.x"), 1e-6, 0.0));
    else
      CHECK_AGREES(x.grad().value<double>(), fx.array<double>(name + ".grad.x"));
  }
}

TEST_CASE("prelu: per-channel and shared slopes agree with LibTorch with the weight's gradient") {
  tgtest::TextFixture fx("activation_layers");
  for (const std::string name : {"prelu_channels", "prelu_shared"}) {
    CAPTURE(name);
    Tensor x(fx.array<double>("prelu.x"), true), w(fx.array<double>(name + ".weight"), true);
    Tensor y = F::prelu(x, w);
    CHECK_AGREES(y.value<double>(), fx.array<double>(name + ".y"));
    y.backward(Tensor(fx.array<double>(name + ".gy")));
    CHECK_AGREES(x.grad().value<double>(), fx.array<double>(name + ".grad.x"));
    CHECK_AGREES(w.grad().value<double>(), fx.array<double>(name + ".grad.weight"));
  }
  const auto x = off_kinks({2, 3, 2, 2}, 31, {0.0});
  const auto per_channel = tgtest::rand_var({3}, 32, -1.0, 1.0), shared = tgtest::rand_var({1}, 33, -1.0, 1.0);
  CHECK_GRADCHECK([](const V& in) { return tg::prelu(in[0], in[1]); }, {x, per_channel});
  CHECK_GRADCHECK([](const V& in) { return tg::prelu(in[0], in[1]); }, {x, shared});
  const auto vector = off_kinks({5}, 34, {0.0});
  CHECK_GRADCHECK([](const V& in) { return tg::prelu(in[0], in[1]); }, {vector, shared});
}

TEST_CASE("PReLU module: weight of num_parameters slopes at init, forward, printing and errors") {
  tg::nn::PReLU shared;
  CHECK(shared->weight.shape() == tg::Shape{1});
  CHECK(shared->weight.value<float>()(0) == 0.25f);
  tg::nn::PReLU act(tg::nn::PReLUOptions().num_parameters(3).init(0.1));
  CHECK(act->named_parameters().size() == 1);
  CHECK(act->named_parameters()["weight"].shape() == tg::Shape{3});
  const Tensor x = tg::randn({2, 3, 4, 4});
  CHECK(tgtest::allclose(act->forward(x).value<float>(), tg::leaky_relu(x, 0.1).value<float>()));
  std::ostringstream out;
  out << *act;
  CHECK(out.str() == "PReLU(num_parameters=3)");
  CHECK_THROWS_WITH_AS(act->forward(tg::randn({2, 4, 5})),
                       Contains("prelu: the weight (3,) has 3 parameters but the input (2, 4, 5) has 4 channels (dim 1); "
                                "expected 1 or 4 parameters"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(act->forward(tg::randn({3})), Contains("has 1 channels"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::prelu(x, tg::randn({3, 1})), Contains("prelu: expected a 0-D or 1-D weight, got shape (3, 1)"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::nn::PReLU(tg::nn::PReLUOptions().num_parameters(0)),
                       Contains("PReLU: num_parameters must be at least 1, got 0"), tg::Error);
}

TEST_CASE("activation F:: forms take LibTorch's option classes and defaults") {
  tg::manual_seed(5);
  const Tensor x = tg::randn({3, 4}) * 3;
  auto same = [](const Tensor& a, const Tensor& b) { return a.value<float>() == b.value<float>(); };
  CHECK(same(F::elu(x), tg::elu(x)));
  CHECK(same(F::elu(x, F::ELUFuncOptions().alpha(0.7).inplace(true)), tg::elu(x, 0.7)));
  CHECK(same(F::selu(x, F::SELUFuncOptions(false)), tg::selu(x)));
  CHECK(same(F::celu(x, F::CELUFuncOptions().alpha(1.8)), tg::celu(x, 1.8)));
  CHECK(same(F::softplus(x, F::SoftplusFuncOptions().beta(2).threshold(5)), tg::softplus(x, 2, 5)));
  CHECK(same(F::hardtanh(x, F::HardtanhFuncOptions().min_val(-2).max_val(1.5)), tg::hardtanh(x, -2, 1.5)));
  CHECK(same(F::relu6(x), tg::hardtanh(x, 0, 6)));
  CHECK(same(F::softshrink(x, 1.2), tg::softshrink(x, 1.2)));
  CHECK(same(F::hardshrink(x, F::HardshrinkFuncOptions().lambda(1.2)), tg::hardshrink(x, 1.2)));
  CHECK(same(F::logsigmoid(x), tg::log_sigmoid(x)));
  CHECK(tgtest::allclose(F::silu(x).value<float>(), (x * tg::sigmoid(x)).value<float>()));
  CHECK(same(F::mish(x), tg::mish(x)));
  CHECK(same(F::softsign(x), tg::softsign(x)));
  CHECK(same(F::tanhshrink(x), tg::tanhshrink(x)));
  CHECK(same(F::hardsigmoid(x), tg::hardsigmoid(x)));
  CHECK(same(F::hardswish(x), tg::hardswish(x)));
  // The existing activations' option forms, next to their plain ones.
  CHECK(same(F::relu(x, F::ReLUFuncOptions().inplace(false)), F::relu(x)));
  CHECK(same(F::relu(x, F::ReLUFuncOptions(true)), tg::relu(x)));
  CHECK(same(F::leaky_relu(x, F::LeakyReLUFuncOptions().negative_slope(0.2)), F::leaky_relu(x, 0.2)));
  CHECK(same(F::softmax(x, F::SoftmaxFuncOptions(1)), F::softmax(x, 1)));
  CHECK(same(F::log_softmax(x, F::LogSoftmaxFuncOptions(0).dim(-1)), tg::log_softmax(x, -1)));
  // On Variable<T> they give Variable<T>.
  Variable<double> v(Array<double>{-1.0, 2.0});
  const Variable<double> ev = F::elu(v, F::ELUFuncOptions().alpha(0.5));
  CHECK(ev.value()(0) == doctest::Approx(0.5 * std::expm1(-1.0)));
  const Variable<double> sv = F::softmax(v, F::SoftmaxFuncOptions(0));
  CHECK(sv.value()(1) == doctest::Approx(1.0 / (1.0 + std::exp(-3.0))));
}

TEST_CASE("activation layers print as LibTorch without the torch::nn prefix") {
  using namespace tg::nn;
  Sequential seq(ELU(), ELU(ELUOptions().alpha(0.5).inplace(true)), SELU(), CELU(CELUOptions().alpha(2)), SiLU(), Mish(),
                 Softplus(SoftplusOptions().beta(2)), Hardtanh(), ReLU6(true), Hardsigmoid(), Hardswish(), LogSigmoid(),
                 Softsign(), Tanhshrink(), Softshrink(), Hardshrink(1.5), ReLU(ReLUOptions().inplace(true)),
                 LeakyReLU(LeakyReLUOptions().inplace(true)));
  std::ostringstream out;
  out << *seq;
  CHECK(out.str() ==
        "Sequential(\n  (0): ELU(alpha=1)\n  (1): ELU(alpha=0.5, inplace=true)\n  (2): SELU()\n  (3): CELU(alpha=2)\n"
        "  (4): SiLU()\n  (5): Mish()\n  (6): Softplus(beta=2, threshold=20)\n  (7): Hardtanh(min_val=-1, max_val=1)\n"
        "  (8): ReLU6(inplace=true)\n  (9): Hardsigmoid()\n  (10): Hardswish()\n  (11): LogSigmoid()\n  (12): Softsign()\n"
        "  (13): Tanhshrink()\n  (14): Softshrink(0.5)\n  (15): Hardshrink(1.5)\n  (16): ReLU(inplace=true)\n"
        "  (17): LeakyReLU(negative_slope=0.01, inplace=true)\n)");
}

TEST_CASE("activation options LibTorch rejects throw naming the op and the value") {
  const Tensor x = tg::randn({2, 3});
  CHECK_THROWS_WITH_AS(tg::celu(x, 0.0), Contains("celu: alpha cannot be 0"), tg::Error);
  CHECK_THROWS_WITH_AS(F::softshrink(x, -1.0), Contains("softshrink: lambda must be greater or equal to 0, got -1"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::nn::Hardtanh(tg::nn::HardtanhOptions().min_val(1).max_val(-1)),
                       Contains("Hardtanh: max_val must be greater than min_val, got min_val=1 and max_val=-1"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::elu(tg::ones({2}, tg::kLong)), Contains("elu"), tg::Error);
  // F::hardtanh takes any bounds, as LibTorch's: everything goes to max_val when it is below min_val.
  CHECK(tgtest::allclose(F::hardtanh(x, F::HardtanhFuncOptions().min_val(1).max_val(-1)).value<float>(),
                         tg::full({2, 3}, -1.0).value<float>()));
}

TEST_CASE("glu, threshold and rrelu: float64 gradchecks") {
  const auto x = tgtest::rand_var({2, 4, 6}, 51, -3.0, 3.0);
  CHECK_GRADCHECK([](const V& in) { return tg::glu(in[0]); }, {x});
  CHECK_GRADCHECK([](const V& in) { return tg::glu(in[0], 1); }, {x});
  CHECK_GRADCHECK([](const V& in) { return tg::glu(in[0], -3); }, {x});
  const auto ends = off_kinks({2, 3, 4}, 52, {0.1, -0.5, 0.0});
  CHECK_GRADCHECK([](const V& in) { return tg::threshold(in[0], 0.1, 20.0); }, {ends});
  CHECK_GRADCHECK([](const V& in) { return tg::threshold(in[0], -0.5, -2.0); }, {ends});
  CHECK_GRADCHECK([](const V& in) { return tg::rrelu(in[0], 0.1, 0.3); }, {ends});
  // In training the slopes are fixed once drawn, so each call of gradcheck's function must draw the
  // same ones: reseeding before each draw makes the op a fixed piecewise-linear function.
  CHECK_GRADCHECK(
      [](const V& in) {
        tg::manual_seed(53);
        return tg::rrelu(in[0], 0.1, 0.3, true);
      },
      {ends});
}

TEST_CASE("GLU, Threshold and RReLU layers agree with LibTorch on values and input gradients") {
  tgtest::TextFixture fx("glu_threshold_rrelu_instance_norm3d");
  using namespace tg::nn;
  // LibTorch's RReLU ran in evaluation (its fixed slope); a module trains until told otherwise.
  RReLU rrelu_default, rrelu_narrow(RReLUOptions().lower(0.1).upper(0.3));
  rrelu_default->eval();
  rrelu_narrow->eval();
  const std::vector<std::pair<std::string, Layer>> layers{
      {"glu_last", layer_of(GLU())},
      {"glu_dim1", layer_of(GLU(1))},
      {"threshold_0.1_20", layer_of(Threshold(0.1, 20.0))},
      {"threshold_m0.5_m2", layer_of(Threshold(ThresholdOptions(-0.5, -2.0)))},
      {"rrelu_eval", layer_of(rrelu_default)},
      {"rrelu_eval_0.1_0.3", layer_of(rrelu_narrow)}};
  for (const auto& named : layers) {
    const std::string name = named.first;
    CAPTURE(name);
    Tensor x(fx.array<double>(name.rfind("glu", 0) == 0 ? "glu.x" : "x"), true);
    Tensor y = named.second(x);
    CHECK_AGREES(y.value<double>(), fx.array<double>(name + ".y"));
    y.backward(Tensor(fx.array<double>(name + ".gy")));
    CHECK_AGREES(x.grad().value<double>(), fx.array<double>(name + ".grad.x"));
  }
}

TEST_CASE("rrelu in training: one slope per non-positive element from lower up to upper, its gradient, seeded") {
  tg::manual_seed(7);
  const Tensor x = tg::randn({64, 64}, tg::kDouble).requires_grad_(true);
  const double lower = 0.1, upper = 0.3;
  Tensor y = F::rrelu(x, F::RReLUFuncOptions().lower(lower).upper(upper).training(true));
  y.backward(tg::ones_like(y));
  const Array<double> xs = x.value<double>(), ys = y.value<double>(), gs = x.grad().value<double>();
  bool all_in_range = true, positives_kept = true, gradient_is_slope = true;
  double sum = 0.0, min_slope = upper, max_slope = lower;
  std::size_t negatives = 0;
  for (std::size_t k = 0; k < xs.size(); ++k) {
    if (xs.data()[k] > 0) {
      positives_kept = positives_kept && ys.data()[k] == xs.data()[k] && gs.data()[k] == 1.0;
      continue;
    }
    const double slope = ys.data()[k] / xs.data()[k];
    all_in_range = all_in_range && slope >= lower && slope < upper;
    gradient_is_slope = gradient_is_slope && std::abs(gs.data()[k] - slope) < 1e-12;
    sum += slope;
    min_slope = std::min(min_slope, slope);
    max_slope = std::max(max_slope, slope);
    ++negatives;
  }
  CHECK(all_in_range);
  CHECK(positives_kept);
  CHECK(gradient_is_slope);
  REQUIRE(negatives > 1000);
  // Uniform on [0.1, 0.3): mean 0.2, standard deviation 0.2/sqrt(12) ≈ 0.058, so the mean of ~2000
  // draws is within 0.005 of 0.2 far beyond 3 sigma; the extremes reach near both ends.
  CHECK(sum / double(negatives) == doctest::Approx(0.2).epsilon(0.025));
  CHECK(min_slope < lower + 0.01);
  CHECK(max_slope > upper - 0.01);
  // The slopes differ from element to element, and the same seed draws the same ones.
  tg::manual_seed(7);
  const Tensor x2 = tg::randn({64, 64}, tg::kDouble);
  CHECK(x2.value<double>() == xs);
  CHECK(F::rrelu(x2, F::RReLUFuncOptions().lower(lower).upper(upper).training(true)).value<double>() == ys);
  // The module trains by default and switches to the fixed slope in evaluation, as LibTorch's.
  tg::nn::RReLU layer;
  const Tensor neg = tg::full({1000}, -1.0, tg::kDouble);
  const Array<double> trained = layer(neg).value<double>();
  const auto range = std::minmax_element(trained.begin(), trained.end());
  CHECK(*range.first < *range.second);
  layer->eval();
  CHECK(tgtest::allclose(layer(neg).value<double>(), tg::full({1000}, -(1.0 / 8 + 1.0 / 3) / 2, tg::kDouble).value<double>()));
  // F::rrelu defaults to evaluation.
  CHECK(F::rrelu(neg).value<double>() == layer(neg).value<double>());
}

TEST_CASE("GLU, Threshold and RReLU: F:: forms, printing and errors") {
  using namespace tg::nn;
  tg::manual_seed(5);
  const Tensor x = tg::randn({3, 4}) * 3;
  auto same = [](const Tensor& a, const Tensor& b) { return a.value<float>() == b.value<float>(); };
  CHECK(same(F::glu(x), tg::glu(x, -1)));
  CHECK(same(F::glu(x, F::GLUFuncOptions(0).dim(1)), tg::glu(x, 1)));
  CHECK(F::glu(x, 1).shape() == tg::Shape{3, 2});
  CHECK(same(F::threshold(x, F::ThresholdFuncOptions(0.5, -1.0).inplace(true)), tg::threshold(x, 0.5, -1.0)));
  CHECK(same(F::rrelu(x), tg::leaky_relu(x, (1.0 / 8 + 1.0 / 3) / 2)));
  const Variable<double> v(Array<double>{-1.0, 2.0});
  CHECK(F::threshold(v, F::ThresholdFuncOptions(0.0, 7.0)).value() == Array<double>{7.0, 2.0});
  CHECK(GLU()->options().dim() == -1);
  CHECK(RReLU()->options().lower() == 1.0 / 8);
  CHECK(RReLU()->options().upper() == 1.0 / 3);
  CHECK(!RReLU()->options().inplace());
  CHECK(!F::RReLUFuncOptions().training());

  Sequential seq(GLU(), GLU(GLUOptions(1)), Threshold(0.1, 20), Threshold(ThresholdOptions(-1, 2).inplace(true)), RReLU(),
                 RReLU(RReLUOptions().lower(0.25).upper(0.5).inplace(true)));
  std::ostringstream out;
  out << *seq;
  CHECK(out.str() ==
        "Sequential(\n  (0): GLU(dim=-1)\n  (1): GLU(dim=1)\n  (2): Threshold(threshold=0.1, value=20)\n"
        "  (3): Threshold(threshold=-1, value=2, inplace=true)\n  (4): RReLU(lower=0.125, upper=0.333333)\n"
        "  (5): RReLU(lower=0.25, upper=0.5, inplace=true)\n)");

  CHECK_THROWS_WITH_AS(F::glu(tg::randn({2, 3}), 1),
                       Contains("glu: the halved dim must have an even size, but dim 1 of the input (2, 3) has size 3"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(GLU()(tg::randn({4, 5})), Contains("dim 1 of the input (4, 5) has size 5"), tg::Error);
  CHECK_THROWS_WITH_AS(F::glu(tg::randn({2, 4}), 2), Contains("glu"), tg::Error);
  CHECK_THROWS_WITH_AS(F::glu(tg::tensor(1.0)), Contains("glu: expected an input with at least 1 dim to halve, got a 0-D tensor"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(
      F::rrelu(x, F::RReLUFuncOptions().lower(0.5).upper(0.1).training(true)),
      Contains("rrelu: the lower bound must not exceed the upper bound, got lower=0.5 and upper=0.1"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::threshold(tg::ones({2}, tg::kLong), 0, 1), Contains("threshold"), tg::Error);
}
