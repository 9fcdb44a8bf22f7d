#include "check.hpp"

#include <cmath>

using tg::Labels;
using tg::Reduction;
using tg::Array;
using tg::Variable;
using tgtest::rand_var;
using V = std::vector<Variable<double>>;

namespace {

const double ln2 = std::log(2.0), e = std::exp(1.0);

}  // namespace

TEST_CASE("nll_loss of a 2x3 by hand, every reduction, with gradients") {
  Variable<double> lp(Array<double>{{-1, -2, -3}, {-0.5, -1.5, -2.5}}, true);
  const Labels target{2, 0};  // picks -3 and -0.5
  CHECK(tg::nll_loss(lp, target).item() == doctest::Approx(1.75));
  CHECK(tg::nll_loss(lp, target, Reduction::Sum).item() == doctest::Approx(3.5));
  CHECK(tgtest::allclose(tg::nll_loss(lp, target, Reduction::None).value(), Array<double>{3, 0.5}));

  tg::nll_loss(lp, target).backward();
  CHECK(tgtest::allclose(lp.grad(), Array<double>{{0, 0, -0.5}, {-0.5, 0, 0}}));
  lp.zero_grad();
  tg::nll_loss(lp, target, Reduction::Sum).backward();
  CHECK(tgtest::allclose(lp.grad(), Array<double>{{0, 0, -1}, {-1, 0, 0}}));
  lp.zero_grad();
  tg::nll_loss(lp, target, Reduction::None).backward(Array<double>{2, 3});
  CHECK(tgtest::allclose(lp.grad(), Array<double>{{0, 0, -2}, {-3, 0, 0}}));
  // a second loss on the same input adds into the gradient already there
  tg::nll_loss(lp, Labels{0, 0}, Reduction::Sum).backward();
  CHECK(tgtest::allclose(lp.grad(), Array<double>{{-1, 0, -2}, {-4, 0, 0}}));
}

TEST_CASE("cross_entropy of a 2x2 by hand: ln(1 + e^-1) and ln 2") {
  Variable<float> logits(Array<float>{{1, 0}, {0, 0}}, true);
  const Labels target{0, 1};
  const double l0 = std::log(1 + 1 / e), s = 1 / (1 + e);  // s = sigmoid(-1) = softmax(logits_0)[1]
  CHECK(tgtest::allclose(tg::cross_entropy(logits, target, Reduction::None).value(), Array<double>{l0, ln2}));
  CHECK(tg::cross_entropy(logits, target, Reduction::Sum).item() == doctest::Approx(l0 + ln2));
  auto loss = tg::cross_entropy(logits, target);
  CHECK(loss.dim() == 0);
  CHECK(loss.item() == doctest::Approx((l0 + ln2) / 2));
  // (softmax - onehot) / N
  loss.backward();
  CHECK(tgtest::allclose(logits.grad(), Array<double>{{-s / 2, s / 2}, {0.25, -0.25}}));
  logits.zero_grad();
  tg::cross_entropy(logits, target, Reduction::None).backward(Array<float>{1, 4});
  CHECK(tgtest::allclose(logits.grad(), Array<double>{{-s, s}, {2, -2}}));
  // the fused op agrees with its two-op definition
  CHECK(tgtest::allclose(tg::cross_entropy(logits, target, Reduction::None).value(),
                         tg::nll_loss(tg::log_softmax(logits, 1), target, Reduction::None).value()));
}

TEST_CASE_TEMPLATE("cross_entropy at logits of +-1000: finite, exact loss and gradient", T, float, double) {
  Variable<T> logits(Array<T>{{1000, -1000}, {-1000, 1000}, {1000, 1000}}, true);
  const Labels target{0, 0, 1};
  CHECK(tgtest::allclose(tg::cross_entropy(logits, target, Reduction::None).value(), Array<double>{0, 2000, ln2}));
  auto loss = tg::cross_entropy(logits, target);
  CHECK(std::isfinite(loss.item()));
  CHECK(loss.item() == doctest::Approx((2000 + ln2) / 3));
  loss.backward();
  CHECK(tgtest::allclose(logits.grad(), Array<double>{{0, 0}, {-1. / 3, 1. / 3}, {0.5 / 3, -0.5 / 3}}));

  // eleven classes: SIMD batches and a tail
  Array<T> wide = Array<T>::from_shape({2, 11});
  wide.fill(T(1000));
  for (std::size_t j = 0; j < 11; ++j) wide(1, j) = j == 9 ? T(1000) : T(-1000);
  Variable<T> w(wide, true);
  auto per_row = tg::cross_entropy(w, Labels{3, 10}, Reduction::None);
  CHECK(tgtest::allclose(per_row.value(), Array<double>{std::log(11.0), 2000}));
  per_row.backward(Array<T>{1, 1});
  CHECK(w.grad()(0, 3) == doctest::Approx(1.0 / 11 - 1));
  CHECK(w.grad()(0, 0) == doctest::Approx(1.0 / 11));
  CHECK(w.grad()(1, 9) == doctest::Approx(1));
  CHECK(w.grad()(1, 10) == doctest::Approx(-1));
  CHECK(w.grad()(1, 0) == 0);
}

TEST_CASE("nll_loss and cross_entropy gradchecks: every reduction, repeated targets, SIMD rows") {
  auto x = rand_var({4, 7}, 21, -3, 3);  // 7 doubles = one 4-wide batch and a tail of 3
  const Labels target{6, 0, 6, 3};
  for (Reduction r : {Reduction::None, Reduction::Mean, Reduction::Sum}) {
    CAPTURE(static_cast<int>(r));
    CHECK_GRADCHECK([&](const V& in) { return tg::cross_entropy(in[0], target, r); }, {x});
    CHECK_GRADCHECK([&](const V& in) { return tg::nll_loss(in[0], target, r); }, {x});
    CHECK_GRADCHECK([&](const V& in) { return tg::nll_loss(tg::log_softmax(in[0], 1), target, r); }, {x});
  }
  // the same logits twice: the second backward accumulates into the first's gradient buffer
  const Labels other{1, 2, 3, 4};
  CHECK_GRADCHECK([&](const V& in) { return tg::cross_entropy(in[0], target) * tg::cross_entropy(in[0], other); }, {x});
  auto small = rand_var({3, 2}, 22);
  CHECK_GRADCHECK([](const V& in) { return tg::cross_entropy(in[0], Labels{1, 1, 0}); }, {small});
}

TEST_CASE("mse_loss by hand, every reduction, gradients to both sides") {
  Variable<double> input(Array<double>{1, 2, 3}, true), target(Array<double>{1, 0, 5}, true);
  CHECK(tg::mse_loss(input, target).item() == doctest::Approx(8.0 / 3));
  CHECK(tg::mse_loss(input, target, Reduction::Sum).item() == doctest::Approx(8));
  CHECK(tgtest::allclose(tg::mse_loss(input, target, Reduction::None).value(), Array<double>{0, 4, 4}));

  tg::mse_loss(input, target).backward();  // 2 (input - target) / 3
  CHECK(tgtest::allclose(input.grad(), Array<double>{0, 4. / 3, -4. / 3}));
  CHECK(tgtest::allclose(target.grad(), Array<double>{0, -4. / 3, 4. / 3}));
  input.zero_grad();
  target.zero_grad();
  tg::mse_loss(input, target, Reduction::None).backward(Array<double>{1, 2, 3});
  CHECK(tgtest::allclose(input.grad(), Array<double>{0, 8, -12}));
  CHECK(tgtest::allclose(target.grad(), Array<double>{0, -8, 12}));

  Variable<float> fixed_target(Array<float>{{1, 1}}), prediction(Array<float>{{3, 0}}, true);
  tg::mse_loss(prediction, fixed_target, Reduction::Sum).backward();
  CHECK(tgtest::allclose(prediction.grad(), Array<float>{{4, -2}}));
}

TEST_CASE("mse_loss gradchecks: every reduction, 3-D, one side constant") {
  auto a = rand_var({2, 3, 2}, 23), b = rand_var({2, 3, 2}, 24);
  auto c = rand_var({2, 3, 2}, 25, -1, 1, /*requires_grad=*/false);
  for (Reduction r : {Reduction::None, Reduction::Mean, Reduction::Sum}) {
    CAPTURE(static_cast<int>(r));
    CHECK_GRADCHECK([r](const V& in) { return tg::mse_loss(in[0], in[1], r); }, {a, b});
    CHECK_GRADCHECK([r](const V& in) { return tg::mse_loss(in[0], in[1], r); }, {a, c});
    CHECK_GRADCHECK([r](const V& in) { return tg::mse_loss(in[1], in[0], r); }, {a, c});
  }
}

TEST_CASE("losses: bad shapes and targets throw naming the op") {
  Variable<float> logits(Array<float>::from_shape({2, 3}));
  logits.value().fill(0.f);
  CHECK_THROWS_WITH_AS(tg::cross_entropy(Variable<float>(Array<float>::from_shape({2, 3, 4})), Labels{0, 1}),
                       "cross_entropy: expected logits of shape (N, C), got (2, 3, 4)", tg::Error);
  CHECK_THROWS_WITH_AS(tg::nll_loss(Variable<float>(Array<float>::from_shape({3})), Labels{0, 1, 2}),
                       "nll_loss: expected log_probs of shape (N, C), got (3,)", tg::Error);
  CHECK_THROWS_WITH_AS(tg::cross_entropy(logits, Labels{0, 1, 2}),
                       "cross_entropy: expected target of shape (N,) = (2,) for logits of shape (2, 3), got (3,)",
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::nll_loss(logits, Labels{{0, 1}}),
                       doctest::Contains("nll_loss: expected target of shape (N,)"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::cross_entropy(logits, Labels{0, 3}),
                       "cross_entropy: target 3 at position 1 is out of range for 3 classes, expected 0 <= target < 3",
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::nll_loss(logits, Labels{-1, 0}, Reduction::Sum),
                       doctest::Contains("nll_loss: target -1 at position 0 is out of range for 3 classes"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::mse_loss(logits, Variable<float>(Array<float>::from_shape({3}))),
                       "mse_loss: expected input and target of the same shape, got (2, 3) and (3,)", tg::Error);
}
