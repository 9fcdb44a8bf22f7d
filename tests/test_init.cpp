#include <cmath>

#include "check.hpp"

using doctest::Approx;
using doctest::Contains;
using tg::Array;
using tg::Tensor;
using tg::Variable;
namespace init = tg::nn::init;

namespace {

struct Stats {
  double mean, std, min, max;
};

template <class T>
Stats stats(const Variable<T>& v) {
  double sum = 0, sq = 0, lo = INFINITY, hi = -INFINITY;
  for (T x : v.value()) {
    sum += x;
    sq += double(x) * x;
    lo = std::min(lo, double(x));
    hi = std::max(hi, double(x));
  }
  const double n = double(v.numel()), mean = sum / n;
  return {mean, std::sqrt(sq / n - mean * mean), lo, hi};
}

template <class T = float>
Variable<T> empty_weight(const tg::Shape& shape) {
  return Variable<T>(Array<T>::from_shape(shape), true);
}

}  // namespace

TEST_CASE("init: calculate_gain follows PyTorch's table") {
  CHECK(init::calculate_gain(tg::kLinear) == 1.0);
  CHECK(init::calculate_gain(tg::kConv2D) == 1.0);
  CHECK(init::calculate_gain(tg::kSigmoid) == 1.0);
  CHECK(init::calculate_gain(tg::kTanh) == Approx(5.0 / 3.0));
  CHECK(init::calculate_gain(tg::kReLU) == Approx(1.41421356237));
  // sqrt(2 / (1 + a²)): the default slope 0.01, slope 0 (= ReLU), and Linear's a = sqrt(5) giving sqrt(1/3).
  CHECK(init::calculate_gain(tg::kLeakyReLU) == Approx(std::sqrt(2.0 / 1.0001)));
  CHECK(init::calculate_gain(tg::kLeakyReLU, 0.0) == Approx(1.41421356237));
  CHECK(init::calculate_gain(tg::kLeakyReLU, std::sqrt(5.0)) == Approx(0.57735026919));
  CHECK(init::calculate_gain(tg::kReLU, 0.5) == Approx(1.41421356237));  // param ignored
}

TEST_CASE("init: fans of linear and conv weights") {
  using Fans = std::pair<std::size_t, std::size_t>;
  CHECK(init::calculate_fan_in_and_fan_out({32, 1, 5, 5}) == Fans{25, 800});
  CHECK(init::calculate_fan_in_and_fan_out({50, 784}) == Fans{784, 50});
  CHECK(init::calculate_fan_in_and_fan_out({16, 8, 3, 3}) == Fans{72, 144});
  CHECK_THROWS_WITH_AS(init::calculate_fan_in_and_fan_out({10}),
                       "calculate_fan_in_and_fan_out: expected a weight of rank >= 2 (out, in, ...), got shape (10,)",
                       tg::Error);
  auto bias = empty_weight({10});
  CHECK_THROWS_WITH_AS(init::kaiming_uniform_(bias), Contains("kaiming_uniform_: expected a weight of rank >= 2"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(init::xavier_normal_(bias), Contains("xavier_normal_: expected a weight of rank >= 2"),
                       tg::Error);
}

TEST_CASE("init: kaiming_normal_ has std gain / sqrt(fan) on a 1000x1000 weight") {
  tg::manual_seed(1);
  auto w = empty_weight({1000, 1000});
  init::kaiming_normal_(w);  // a = 0: gain sqrt(2), fan_in 1000
  const Stats s = stats(w);
  const double expected = std::sqrt(2.0) / std::sqrt(1000.0);
  CHECK(std::abs(s.std - expected) < 0.02 * expected);
  CHECK(std::abs(s.mean) < 0.01 * expected);

  // fan_out of a (100, 1000) weight is 100; Tanh's gain is 5/3. And in float64.
  auto wide = empty_weight<double>({100, 1000});
  init::kaiming_normal_(wide, 0.0, tg::kFanOut, tg::kTanh);
  const double expected_wide = (5.0 / 3.0) / std::sqrt(100.0);
  CHECK(std::abs(stats(wide).std - expected_wide) < 0.02 * expected_wide);
}

TEST_CASE("init: kaiming_uniform_ stays within sqrt(3) gain / sqrt(fan)") {
  tg::manual_seed(2);
  auto w = empty_weight({1000, 1000});
  init::kaiming_uniform_(w, 0.0, tg::kFanIn, tg::kReLU);
  const double bound = std::sqrt(3.0) * std::sqrt(2.0) / std::sqrt(1000.0);
  const Stats s = stats(w);
  CHECK(s.min >= -bound);
  CHECK(s.max <= bound);
  CHECK(s.min < -0.999 * bound);  // the whole range is used
  CHECK(s.max > 0.999 * bound);
  CHECK(std::abs(s.std - bound / std::sqrt(3.0)) < 0.02 * bound / std::sqrt(3.0));

  // A conv weight (32, 1, 5, 5), fan_out = 800, in float64.
  auto conv = empty_weight<double>({32, 1, 5, 5});
  init::kaiming_uniform_(conv, 0.0, tg::kFanOut);
  const double conv_bound = std::sqrt(3.0) * std::sqrt(2.0) / std::sqrt(800.0);
  CHECK(stats(conv).min >= -conv_bound);
  CHECK(stats(conv).max <= conv_bound);
  CHECK(stats(conv).max > 0.5 * conv_bound);
}

TEST_CASE("init: xavier_normal_ and xavier_uniform_ follow Glorot's formulas") {
  tg::manual_seed(3);
  auto w = empty_weight({300, 700});  // fan_in + fan_out = 1000
  init::xavier_normal_(w, 2.0);
  const double expected = 2.0 * std::sqrt(2.0 / 1000.0);
  CHECK(std::abs(stats(w).std - expected) < 0.02 * expected);

  init::xavier_uniform_(w);
  const double bound = std::sqrt(6.0 / 1000.0);
  const Stats s = stats(w);
  CHECK(s.min >= -bound);
  CHECK(s.max <= bound);
  CHECK(s.max > 0.999 * bound);
  CHECK(std::abs(s.std - bound / std::sqrt(3.0)) < 0.02 * bound / std::sqrt(3.0));
}

TEST_CASE("init: zeros_, ones_, normal_, uniform_") {
  tg::manual_seed(4);
  auto w = empty_weight({500, 400});
  init::ones_(w);
  CHECK(stats(w).min == 1.0);
  CHECK(stats(w).max == 1.0);
  init::zeros_(w);
  CHECK(stats(w).min == 0.0);
  CHECK(stats(w).max == 0.0);

  init::normal_(w, 3.0, 0.5);
  CHECK(std::abs(stats(w).mean - 3.0) < 0.01);
  CHECK(std::abs(stats(w).std - 0.5) < 0.01);
  init::normal_(w, -1.0, 0.0);  // a zero std is a constant
  CHECK(stats(w).max == -1.0);

  init::uniform_(w, -2.0, 5.0);
  const Stats s = stats(w);
  CHECK(s.min >= -2.0);
  CHECK(s.max <= 5.0);
  CHECK(std::abs(s.mean - 1.5) < 0.03);
  CHECK(std::abs(s.std - 7.0 / std::sqrt(12.0)) < 0.02);

  auto d = empty_weight<double>({3, 2});
  init::ones_(d);
  CHECK(tgtest::allclose(d.value(), Array<double>(xt::ones<double>({3, 2}))));
}

TEST_CASE("init: in place, returning the same variable, reproducible under manual_seed") {
  auto w = empty_weight({20, 30});
  auto returned = init::kaiming_uniform_(w);
  CHECK(returned.value_ptr() == w.value_ptr());
  CHECK(returned.meta() == w.meta());

  tg::manual_seed(42);
  init::kaiming_normal_(w);
  const Array<float> first = w.value();
  init::kaiming_normal_(w);
  CHECK_FALSE(first == w.value());  // the engine moved on
  tg::manual_seed(42);
  init::kaiming_normal_(w);
  CHECK(first == w.value());

  auto d = empty_weight<double>({20, 30});
  tg::manual_seed(42);
  init::xavier_uniform_(d);
  const Array<double> first_d = d.value();
  tg::manual_seed(42);
  init::xavier_uniform_(d);
  CHECK(first_d == d.value());
}

TEST_CASE("init: empty tensors are left alone, bad arguments throw naming the function") {
  auto none = empty_weight({0, 5});
  CHECK_NOTHROW(init::kaiming_normal_(none));
  CHECK_NOTHROW(init::xavier_uniform_(none));

  auto w = empty_weight({2, 2});
  CHECK_THROWS_WITH_AS(init::normal_(w, 0.0, -1.0), "normal_: expected std >= 0, got -1.000000", tg::Error);
  CHECK_THROWS_WITH_AS(init::uniform_(w, 1.0, 0.0), Contains("uniform_: expected low <= high"), tg::Error);
  Variable<float> undefined;
  CHECK_THROWS_WITH_AS(init::zeros_(undefined), "zeros_: expected a defined variable, got an undefined one", tg::Error);
  CHECK_THROWS_WITH_AS(init::kaiming_normal_(undefined), Contains("kaiming_normal_: expected a defined variable"),
                       tg::Error);
}

TEST_CASE("init: constant_, eye_ and orthogonal_ as LibTorch's") {
  Tensor w = tg::empty({3, 5});
  init::constant_(w, 0.25);
  CHECK(w.eq(0.25).all().item<bool>());
  init::eye_(w);
  CHECK(w.sum().item<double>() == 3);
  CHECK(w[2][2].item<double>() == 1);
  tg::manual_seed(7);
  for (const tg::Shape& shape : {tg::Shape{3, 5}, tg::Shape{6, 2, 2}, tg::Shape{4, 4}}) {
    CAPTURE(tg::shape_str(shape));
    Tensor q = tg::zeros(tg::IntArrayRef(shape), tg::kDouble);
    init::orthogonal_(q, 2.0);
    const Tensor flat = q.reshape({q.size(0), -1});
    const Tensor gram = flat.size(0) <= flat.size(1) ? tg::mm(flat, flat.t()) : tg::mm(flat.t(), flat);
    CHECK(tgtest::allclose(gram.value<double>(), (tg::eye(gram.size(0), tg::kDouble) * 4.0).value<double>(), 1e-12, 1e-12));
  }
  CHECK_THROWS_WITH_AS(init::orthogonal_(tg::zeros({3})), doctest::Contains("orthogonal_: expected a tensor of rank >= 2"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(init::eye_(tg::zeros({2, 2, 2})), doctest::Contains("eye_: expected a 2-D tensor"), tg::Error);
}
