// The tape held to gradients derived by hand (tg::manual): first the hand-derived functions against
// answers computed on paper, then the tape's gradients of whole networks against them, on random
// tensors and on real MNIST batches.
//
// "Relative" difference throughout: max|tape - manual| / max|manual| over a gradient's elements
// (tg::manual::difference). Bounds: 1e-10 in float64, 1e-5 in float32.
#include <type_traits>

#include <xtensor/xmath.hpp>

#include <tapegrad/reference/manual_backward.hpp>

#include "check.hpp"

using tg::Labels;
using tg::Shape;
using tg::Array;
using tg::Variable;

namespace {

template <class T>
constexpr double tolerance() {
  return std::is_same_v<T, double> ? 1e-10 : 1e-5;
}

// The tape's gradient `tape` against the hand-derived `manual`, which must not be all zeros (an
// all-zero reference would let any gradient of zeros pass).
template <class T>
void check_agrees(const std::string& what, const Array<T>& tape, const Array<T>& manual) {
  CAPTURE(what);
  REQUIRE(tape.shape() == manual.shape());
  CHECK(xt::amax(xt::abs(manual))() > 0);
  const tg::manual::Difference d = tg::manual::difference(tape, manual);
  CHECK_MESSAGE(d.relative <= tolerance<T>(), what, ": max abs ", d.max_abs, ", relative ", d.relative);
}

template <class T>
Array<T> randn(const Shape& shape, double scale = 1.0) {
  return Array<T>(tg::randn<T>(shape) * static_cast<T>(scale));
}

// ---- the walkthrough's forward_and_backward: 784-50-1 (or any in-hidden-1), ReLU, MSE ----

template <class T>
struct Mlp {
  Variable<T> w1, b1, w2, b2;
};

// Kaiming init, as the walkthrough: w = randn(fan_in, fan_out) * sqrt(2 / fan_in), zero biases.
template <class T>
Mlp<T> kaiming_mlp(std::size_t in, std::size_t hidden, std::size_t out) {
  return {Variable<T>(randn<T>({in, hidden}, std::sqrt(2.0 / in)), true),
          Variable<T>(Array<T>(xt::zeros<T>({hidden})), true),
          Variable<T>(randn<T>({hidden, out}, std::sqrt(2.0 / hidden)), true),
          Variable<T>(Array<T>(xt::zeros<T>({out})), true)};
}

// Runs the tape's forward and backward on x (N, in) against targ (N,), then the manual backward on
// the same forward values, and compares every gradient: w1, b1, w2, b2 and the input.
template <class T>
void check_walkthrough_net(const Array<T>& x_value, const Array<T>& targ, Mlp<T> net) {
  Variable<T> x(x_value, true);
  const Variable<T> targ2d = tg::reshape(Variable<T>(targ), {-1, 1});  // (N, 1): no (N, N) broadcast
  const Variable<T> l1 = tg::matmul(x, net.w1) + net.b1;
  const Variable<T> l2 = tg::relu(l1);
  const Variable<T> out = tg::matmul(l2, net.w2) + net.b2;
  tg::mse_loss(out, targ2d).backward();

  const Array<T> d_out = tg::manual::mse_grad(out.value(), targ);
  const auto layer2 = tg::manual::lin_grad(l2.value(), d_out, net.w2.value());
  const Array<T> d_l1 = tg::manual::relu_grad(l1.value(), layer2.inp);
  const auto layer1 = tg::manual::lin_grad(x.value(), d_l1, net.w1.value());

  check_agrees("w2", net.w2.grad(), layer2.w);
  check_agrees("b2", net.b2.grad(), layer2.b);
  check_agrees("w1", net.w1.grad(), layer1.w);
  check_agrees("b1", net.b1.grad(), layer1.b);
  check_agrees("input", x.grad(), layer1.inp);
}

// ---- cross-entropy on in-hidden-classes with tg::linear (LibTorch's (out, in) weights) ----

template <class T>
void check_cross_entropy_net(const Array<T>& x_value, const Labels& target, std::size_t hidden, std::size_t classes) {
  const std::size_t in = x_value.shape()[1];
  Variable<T> x(x_value, true);
  Variable<T> w1(randn<T>({hidden, in}, 1 / std::sqrt(double(in))), true), b1(randn<T>({hidden}, 0.1), true);
  Variable<T> w2(randn<T>({classes, hidden}, 1 / std::sqrt(double(hidden))), true), b2(randn<T>({classes}, 0.1), true);
  const Variable<T> l1 = tg::linear(x, w1, b1);
  const Variable<T> l2 = tg::relu(l1);
  const Variable<T> logits = tg::linear(l2, w2, b2);
  tg::cross_entropy(logits, target).backward();

  const Array<T> d_logits = tg::manual::cross_entropy_grad(logits.value(), target);
  const auto layer2 = tg::manual::linear_grad(l2.value(), d_logits, w2.value());
  const Array<T> d_l1 = tg::manual::relu_grad(l1.value(), layer2.inp);
  const auto layer1 = tg::manual::linear_grad(x.value(), d_l1, w1.value());

  check_agrees("w2", w2.grad(), layer2.w);
  check_agrees("b2", b2.grad(), layer2.b);
  check_agrees("w1", w1.grad(), layer1.w);
  check_agrees("b1", b1.grad(), layer1.b);
  check_agrees("input", x.grad(), layer1.inp);
}

// ---- conv2d: the tape's implicit-im2col kernels against the explicit im2col + OpenBLAS products ----

template <class T>
void check_conv(const Array<T>& x_value, std::size_t out_channels, std::size_t kernel, std::size_t stride,
                std::size_t padding) {
  const std::size_t c = x_value.shape()[1];
  Variable<T> x(x_value, true);
  Variable<T> w(randn<T>({out_channels, c, kernel, kernel}, 1 / std::sqrt(double(c * kernel * kernel))), true);
  Variable<T> b(randn<T>({out_channels}, 0.1), true);
  const Variable<T> y = tg::conv2d(x, w, b, stride, padding);
  const Array<T> dy = randn<T>(y.shape());
  y.backward(dy);

  const auto manual = tg::manual::conv2d_grad(x.value(), dy, w.value(), {stride, stride}, {padding, padding});
  check_agrees("weight", w.grad(), manual.weight);
  check_agrees("bias", b.grad(), manual.bias);
  check_agrees("input", x.grad(), manual.input);
}

// ---- real MNIST ----

// The dataset, read once; a test using it fails when it is missing (tgtest::require_dataset).
const tg::data::MNIST& mnist() {
  static const tg::data::MNIST data(tgtest::require_dataset("MNIST", tg::data::mnist_dir()));
  return data;
}

// The first `rows` images of a split, normalised with the training mean/std, in dataset order.
tg::data::Batch first_rows(tg::data::Split split, std::size_t rows, bool flatten) {
  tg::data::ImageLoaderOptions options;
  options.batch_size = rows;
  options.shuffle = false;
  options.flatten = flatten;
  return tg::data::DataLoader(mnist().split(split), options).batch(0);
}

template <class T>
Array<T> as(const Array<float>& x) {
  return Array<T>(xt::cast<T>(x));
}

// An (N, 1) column: {{1}, {3}} would be ambiguous to xtensor's initializer lists.
Array<double> column(std::initializer_list<double> values) {
  Array<double> t = values;
  t.reshape({values.size(), 1});
  return t;
}

template <class T>
Array<T> labels_as(const Labels& y) {
  return Array<T>(xt::cast<T>(y));
}

}  // namespace

// ================= the hand-derived gradients, against paper =================

TEST_CASE("manual mse_grad and relu_grad: values by hand") {
  // d out = 2 (out - targ) / N with N = 2.
  CHECK(tgtest::allclose(tg::manual::mse_grad(column({1, 3}), Array<double>{0, 1}), column({1, 2})));
  // (inp > 0) · d out: nothing passes at 0 or below.
  CHECK(tgtest::allclose(tg::manual::relu_grad(Array<double>{-1.0, 0.0, 2.0}, Array<double>{5.0, 6.0, 7.0}),
                         Array<double>{0.0, 0.0, 7.0}));
}

TEST_CASE("manual lin_grad and linear_grad: values by hand, in both weight layouts") {
  const Array<double> inp{{1, 2}, {3, 4}}, d_out{{1, 0}, {0, 2}};
  const Array<double> w{{1, 0}, {2, 1}};  // (in, out); LibTorch's layout holds its transpose
  // d inp = d out @ wᵀ = [[1, 2], [0, 2]]; d w = inpᵀ @ d out = [[1, 6], [2, 8]]; d b = [1, 2].
  const auto r = tg::manual::lin_grad(inp, d_out, w);
  CHECK(tgtest::allclose(r.inp, Array<double>{{1, 2}, {0, 2}}));
  CHECK(tgtest::allclose(r.w, Array<double>{{1, 6}, {2, 8}}));
  CHECK(tgtest::allclose(r.b, Array<double>{1, 2}));
  const auto no_input = tg::manual::lin_grad(inp, d_out, w, /*input_grad=*/false);
  CHECK(no_input.inp.dimension() == 0);
  CHECK(tgtest::allclose(no_input.w, r.w));
  CHECK(tgtest::allclose(no_input.b, r.b));
  const auto t = tg::manual::linear_grad(inp, d_out, Array<double>{{1, 2}, {0, 1}});
  CHECK(tgtest::allclose(t.inp, Array<double>{{1, 2}, {0, 2}}));
  CHECK(tgtest::allclose(t.w, Array<double>{{1, 2}, {6, 8}}));
  CHECK(tgtest::allclose(t.b, Array<double>{1, 2}));
}

TEST_CASE("manual cross_entropy_grad: (softmax - onehot) / N by hand") {
  // Row 0: softmax [1/2, 1/2], target 0. Row 1: softmax [3/4, 1/4] (logits ln 3, 0), target 1. N = 2.
  const Array<double> logits{{0, 0}, {std::log(3.0), 0}};
  CHECK(tgtest::allclose(tg::manual::cross_entropy_grad(logits, Labels{0, 1}),
                         Array<double>{{-0.25, 0.25}, {0.375, -0.375}}));
  // Logits of 1000 stay finite: the row's max is subtracted before exp.
  CHECK(tgtest::allclose(tg::manual::cross_entropy_grad(Array<float>{{1000.f, 1000.f}}, Labels{1}),
                         Array<float>{{0.5f, -0.5f}}));
}

TEST_CASE("manual conv2d_grad: stride 2, padding 1, by hand") {
  // x = 1..9 (3x3), w = [[1, 2], [3, 4]], stride 2, padding 1: output 2x2, and each input pixel lies
  // under exactly one tap of one output, so d x[r][c] = d out[oh][ow] · w[i][j] for that pair and
  // d w[i][j] = Σ d out[oh][ow] · x[2oh+i-1][2ow+j-1] over the taps that land inside.
  const Array<double> x{{{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}}};
  const Array<double> w{{{{1, 2}, {3, 4}}}};
  const Array<double> d_out{{{{1, 2}, {3, 4}}}};
  const auto r = tg::manual::conv2d_grad(x, d_out, w, {2, 2}, {1, 1});
  CHECK(tgtest::allclose(r.input, Array<double>{{{{4, 6, 8}, {6, 4, 8}, {12, 12, 16}}}}));
  CHECK(tgtest::allclose(r.weight, Array<double>{{{{20, 36}, {36, 64}}}}));
  CHECK(tgtest::allclose(r.bias, Array<double>{10}));
}

TEST_CASE("manual difference: max abs and relative to the reference's largest magnitude") {
  const auto d = tg::manual::difference(Array<double>{1, 2, 3}, Array<double>{1, -2.5, 5});
  CHECK(d.max_abs == doctest::Approx(4.5));
  CHECK(d.relative == doctest::Approx(4.5 / 5));
  CHECK(tg::manual::difference(Array<double>{0, 0}, Array<double>{0, 0}).relative == 0);
  CHECK(std::isnan(tg::manual::difference(Array<double>{1, std::nan("")}, Array<double>{1, 9}).max_abs));
}

TEST_CASE("manual gradients: bad shapes throw, naming the function") {
  using tg::Error;
  using doctest::Contains;
  const Array<float> a = Array<float>::from_shape({4, 3}), b = Array<float>::from_shape({4, 2});
  CHECK_THROWS_WITH_AS(tg::manual::mse_grad(a, Array<float>::from_shape({4})),
                       Contains("mse_grad: expected out (N, 1) and targ (N,), got (4, 3) and (4,)"), Error);
  CHECK_THROWS_WITH_AS(tg::manual::relu_grad(a, b),
                       Contains("relu_grad: expected inp and out_grad of the same shape"), Error);
  CHECK_THROWS_WITH_AS(tg::manual::lin_grad(a, b, Array<float>::from_shape({2, 3})),
                       Contains("lin_grad: expected inp (N, in), out_grad (N, out) and w (in, out), got inp (4, 3)"),
                       Error);
  CHECK_THROWS_WITH_AS(tg::manual::linear_grad(a, b, Array<float>::from_shape({3, 2})),
                       Contains("linear_grad: expected inp (N, in), out_grad (N, out) and w (out, in)"), Error);
  CHECK_THROWS_WITH_AS(tg::manual::cross_entropy_grad(a, Labels{0, 1, 2, 3}),
                       Contains("cross_entropy_grad: target 3 at position 3 is out of range for 3 classes"), Error);
  CHECK_THROWS_WITH_AS(tg::manual::cross_entropy_grad(a, Labels{0, 1}),
                       Contains("cross_entropy_grad: expected logits (N, C) and target (N,)"), Error);
  const Array<float> x = Array<float>::from_shape({2, 3, 5, 5}), w = Array<float>::from_shape({4, 3, 3, 3});
  CHECK_THROWS_WITH_AS(tg::manual::conv2d_grad(x, Array<float>::from_shape({2, 4, 5, 5}), w),
                       Contains("conv2d_grad: expected out_grad (2, 4, 3, 3)"), Error);
  CHECK_THROWS_WITH_AS(
      tg::manual::conv2d_grad(x, Array<float>::from_shape({2, 4, 3, 3}), Array<float>::from_shape({4, 2, 3, 3})),
      Contains("conv2d_grad: expected input (N, C, H, W) and weight (O, C, kh, kw) with the same C"), Error);
  CHECK_THROWS_WITH_AS(tg::manual::conv2d_grad(x, x, Array<float>::from_shape({4, 3, 9, 9})),
                       Contains("conv2d_grad: kernel (9, 9) is larger than the padded input"), Error);
  CHECK_THROWS_WITH_AS(tg::manual::difference(a, b),
                       Contains("difference: expected got and reference of the same shape"), Error);
}

// ================= the tape against them: random tensors =================

TEST_CASE_TEMPLATE("tape = manual: the walkthrough's forward_and_backward on random tensors", T, double, float) {
  tg::manual_seed(1);
  check_walkthrough_net<T>(randn<T>({33, 20}), randn<T>({33}, 3.0), kaiming_mlp<T>(20, 9, 1));
}

TEST_CASE_TEMPLATE("tape = manual: cross-entropy net with tg::linear on random tensors", T, double, float) {
  tg::manual_seed(2);
  const Labels target{0, 3, 1, 4, 4, 2, 0, 1, 3, 2, 4};
  check_cross_entropy_net<T>(randn<T>({11, 17}), target, 7, 5);
}

TEST_CASE_TEMPLATE("tape = manual: conv2d on random tensors, channel counts on and off the vector width", T, double,
                   float) {
  tg::manual_seed(3);
  SUBCASE("3->4, kernel 3, stride 1, padding 1") { check_conv<T>(randn<T>({2, 3, 7, 6}), 4, 3, 1, 1); }
  SUBCASE("1->8, kernel 5, stride 2, padding 2") { check_conv<T>(randn<T>({3, 1, 11, 12}), 8, 5, 2, 2); }
  // The kernels tile channels in blocks of up to 2 vectors (16 floats, 8 doubles) and pad the last
  // block with zeros; positions and taps in tiles of up to 12.
  SUBCASE("17->20, kernel 3, stride 2, padding 1: several channel blocks, ragged") {
    check_conv<T>(randn<T>({2, 17, 7, 7}), 20, 3, 2, 1);
  }
  SUBCASE("5->33, kernel 1: a 1x1 convolution, ragged last block") { check_conv<T>(randn<T>({2, 5, 4, 3}), 33, 1, 1, 0); }
  SUBCASE("16->32 on a 2x2 image: fewer positions than a tile") { check_conv<T>(randn<T>({1, 16, 2, 2}), 32, 3, 1, 1); }
}

// ================= and on real MNIST =================

TEST_CASE_TEMPLATE("tape = manual on MNIST: the walkthrough's 784-50-1, ReLU, MSE against the digit", T, double,
                   float) {
  tg::manual_seed(4);
  const tg::data::Batch batch = first_rows(tg::data::Split::Train, 1000, /*flatten=*/true);
  check_walkthrough_net<T>(as<T>(batch.data.value<float>()), labels_as<T>(batch.target.value<std::int64_t>()),
                          kaiming_mlp<T>(784, 50, 1));
}

TEST_CASE_TEMPLATE("tape = manual on MNIST: cross-entropy on 784-50-10", T, double, float) {
  tg::manual_seed(5);
  const tg::data::Batch batch = first_rows(tg::data::Split::Train, 500, /*flatten=*/true);
  check_cross_entropy_net<T>(as<T>(batch.data.value<float>()), batch.target.value<std::int64_t>(), 50, 10);
}

TEST_CASE_TEMPLATE("tape = manual on MNIST: conv2d 1->8, kernel 5, stride 2, padding 2 on 28x28 images", T, double,
                   float) {
  tg::manual_seed(6);
  const tg::data::Batch batch = first_rows(tg::data::Split::Valid, 64, /*flatten=*/false);
  check_conv<T>(as<T>(batch.data.value<float>()), 8, 5, 2, 2);
}
