#include "check.hpp"

#include <cmath>

using tg::Labels;
using tg::Reduction;
using tg::Array;
using tg::Variable;
using tgtest::e;
using tgtest::ln2;
using tgtest::rand_var;
using V = std::vector<Variable<double>>;

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

TEST_CASE("nll_loss and cross_entropy with weight, ignore_index, label_smoothing: by hand") {
  // log_probs rows pick -1 (class 0), -2.5 (class 2), row 2 is ignored
  Variable<double> lp(Array<double>{{-1, -2, -3}, {-0.5, -1.5, -2.5}, {-7, -8, -9}}, true);
  const Variable<double> w(Array<double>{2, 1, 4});
  const Labels target{0, 2, -100};
  // (2 * 1 + 4 * 2.5) / (2 + 4)
  CHECK(tg::nll_loss(lp, target, w).item() == doctest::Approx(12.0 / 6));
  CHECK(tg::nll_loss(lp, target, w, Reduction::Sum).item() == doctest::Approx(12.0));
  CHECK(tgtest::allclose(tg::nll_loss(lp, target, w, Reduction::None).value(), Array<double>{2, 10, 0}));
  tg::nll_loss(lp, target, w).backward();
  CHECK(tgtest::allclose(lp.grad(), Array<double>{{-2. / 6, 0, 0}, {0, 0, -4. / 6}, {0, 0, 0}}));
  // ignore_index can be a real class: class 2 ignored, mean over the one target left
  CHECK(tg::nll_loss(lp, Labels{0, 2, 2}, Variable<double>(), Reduction::Mean, 2).item() == doctest::Approx(1.0));
  // every target ignored: Mean is 0 / 0 = NaN, Sum is 0, as LibTorch
  CHECK(std::isnan(tg::nll_loss(lp, Labels{-100, -100, -100}, w).item()));
  CHECK(tg::nll_loss(lp, Labels{-100, -100, -100}, w, Reduction::Sum).item() == 0);

  // label smoothing 0.3 over 2 classes: target distribution (0.85, 0.15) for class 0
  Variable<double> logits(Array<double>{{1, 0}}, true);
  const double p0 = 1 / (1 + std::exp(-1.0));
  const double expected = -(0.85 * std::log(p0) + 0.15 * std::log(1 - p0));
  CHECK(tg::cross_entropy(logits, Labels{0}, Variable<double>(), Reduction::Mean, -100, 0.3).item() ==
        doctest::Approx(expected));
  // smoothing 1: the uniform distribution, whatever the target
  CHECK(tg::cross_entropy(logits, Labels{1}, Variable<double>(), Reduction::Sum, -100, 1.0).item() ==
        doctest::Approx(-(std::log(p0) + std::log(1 - p0)) / 2));
}

TEST_CASE("cross_entropy: the fused path and the general one agree, -100 targets are ignored by default") {
  auto x = rand_var({5, 7}, 30, -3, 3);
  const Labels t{6, 0, 2, 3, 3};
  const Variable<double> ones(Array<double>(xt::ones<double>({7})));
  for (Reduction r : {Reduction::None, Reduction::Mean, Reduction::Sum}) {
    CAPTURE(static_cast<int>(r));
    CHECK(tgtest::allclose(tg::cross_entropy(x, t, r).value(), tg::cross_entropy(x, t, ones, r).value(), 1e-12));
    CHECK(tgtest::allclose(tg::cross_entropy(x, t, r).value(),
                           tg::nll_loss(tg::log_softmax(x, 1), t, r).value(), 1e-12));
  }
  // the two-argument form ignores -100 as LibTorch does
  CHECK(tg::cross_entropy(x, Labels{6, -100, 2, -100, 3}).item() ==
        doctest::Approx(tg::cross_entropy(tg::index_select(x, 0, Labels{0, 2, 4}), Labels{6, 2, 3}).item()));
}

TEST_CASE("class losses gradchecks: weight, ignore_index, label_smoothing, (N, C, d1, d2), every reduction") {
  auto x = rand_var({5, 4}, 31, -2, 2);
  auto spatial = rand_var({2, 3, 2, 2}, 32, -2, 2);
  const Variable<double> w(Array<double>{0.5, 2.0, 1.0, 1.5}), w3(Array<double>{0.5, 2.0, 1.5});
  const Labels t{3, 0, -100, 1, 3}, t_classes{3, 0, 2, 1, 3}, t_spatial{{{0, 2}, {1, -100}}, {{2, 2}, {0, 1}}};
  for (Reduction r : {Reduction::None, Reduction::Mean, Reduction::Sum}) {
    CAPTURE(static_cast<int>(r));
    for (double smoothing : {0.0, 0.25}) {
      CAPTURE(smoothing);
      CHECK_GRADCHECK([&](const V& in) { return tg::cross_entropy(in[0], t, w, r, -100, smoothing); }, {x});
      CHECK_GRADCHECK([&](const V& in) { return tg::cross_entropy(in[0], t_classes, Variable<double>(), r, 0, smoothing); }, {x});
      CHECK_GRADCHECK([&](const V& in) { return tg::cross_entropy(in[0], t_spatial, w3, r, -100, smoothing); },
                      {spatial});
    }
    CHECK_GRADCHECK([&](const V& in) { return tg::nll_loss(in[0], t, w, r); }, {x});
    CHECK_GRADCHECK([&](const V& in) { return tg::nll_loss(in[0], t_classes, Variable<double>(), r, 3); }, {x});
    CHECK_GRADCHECK([&](const V& in) { return tg::nll_loss(in[0], t_spatial, w3, r); }, {spatial});
  }
}

TEST_CASE("regression losses by hand: l1, smooth_l1 (beta), huber (delta)") {
  Variable<double> input(Array<double>{0, 0.2, -3, 1}, true);
  const Variable<double> target(Array<double>{0, 0, 0, 0});
  CHECK(tgtest::allclose(tg::l1_loss(input, target, Reduction::None).value(), Array<double>{0, 0.2, 3, 1}));
  // beta 0.5: 0.5 d^2 / beta below beta, d - beta / 2 above
  CHECK(tgtest::allclose(tg::smooth_l1_loss(input, target, Reduction::None, 0.5).value(),
                         Array<double>{0, 0.04, 2.75, 0.75}));
  CHECK(tgtest::allclose(tg::smooth_l1_loss(input, target, Reduction::None, 0.0).value(), Array<double>{0, 0.2, 3, 1}));
  // delta 2: 0.5 d^2 below delta, delta (d - delta / 2) above
  CHECK(tgtest::allclose(tg::huber_loss(input, target, Reduction::None, 2.0).value(), Array<double>{0, 0.02, 4, 0.5}));
  tg::l1_loss(input, target, Reduction::Sum).backward();
  CHECK(tgtest::allclose(input.grad(), Array<double>{0, 1, -1, 1}));  // sign, 0 at 0
  input.zero_grad();
  tg::huber_loss(input, target, Reduction::Sum, 2.0).backward();
  CHECK(tgtest::allclose(input.grad(), Array<double>{0, 0.2, -2, 1}));
}

TEST_CASE("elementwise and binary losses gradchecks, input and target, every reduction") {
  auto a = rand_var({3, 4}, 40, -2, 2), b = rand_var({3, 4}, 41, -2, 2);
  auto probs = rand_var({3, 4}, 42, 0.05, 0.95), soft = rand_var({3, 4}, 43, 0, 1);
  const Variable<double> w(Array<double>{0.5, 2.0, 1.0, 1.5}), pw(Array<double>{3.0, 0.5, 1.0, 2.0});
  Array<double> column{0.5, 2.0, 1.0};
  column.reshape({3, 1});
  const Variable<double> w_col(column);  // broadcast along the rows
  for (Reduction r : {Reduction::None, Reduction::Mean, Reduction::Sum}) {
    CAPTURE(static_cast<int>(r));
    CHECK_GRADCHECK([r](const V& in) { return tg::l1_loss(in[0], in[1], r); }, {a, b});
    for (double beta : {1.0, 0.5, 0.0})
      CHECK_GRADCHECK([r, beta](const V& in) { return tg::smooth_l1_loss(in[0], in[1], r, beta); }, {a, b});
    for (double delta : {1.0, 0.3})
      CHECK_GRADCHECK([r, delta](const V& in) { return tg::huber_loss(in[0], in[1], r, delta); }, {a, b});
    CHECK_GRADCHECK([&](const V& in) { return tg::binary_cross_entropy(in[0], in[1], Variable<double>(), r); },
                    {probs, soft});
    CHECK_GRADCHECK([&](const V& in) { return tg::binary_cross_entropy(in[0], in[1], w_col, r); }, {probs, soft});
    CHECK_GRADCHECK([&](const V& in) { return tg::binary_cross_entropy_with_logits(in[0], in[1], w, pw, r); },
                    {a, soft});
    CHECK_GRADCHECK([&](const V& in) {
      return tg::binary_cross_entropy_with_logits(in[0], in[1], Variable<double>(), Variable<double>(), r);
    }, {a, soft});
  }
}

TEST_CASE_TEMPLATE("binary_cross_entropy_with_logits is stable at logits of +-1000, binary_cross_entropy clamps its logs",
                   T, float, double) {
  Variable<T> x(Array<T>{1000, -1000, 1000, -1000}, true);
  const Variable<T> y(Array<T>{1, 0, 0, 1});
  auto loss = tg::binary_cross_entropy_with_logits(x, y, Variable<T>(), Variable<T>(), Reduction::None);
  CHECK(tgtest::allclose(loss.value(), Array<double>{0, 0, 1000, 1000}));
  loss.backward(Array<T>{1, 1, 1, 1});
  CHECK(tgtest::allclose(x.grad(), Array<double>{0, 0, 1, -1}));
  // probabilities 0 and 1: log clamped at -100, so the loss is 100, not inf
  const Variable<T> p(Array<T>{0, 1, 1});
  CHECK(tgtest::allclose(tg::binary_cross_entropy(p, Variable<T>(Array<T>{1, 0, 1}), Variable<T>(), Reduction::None).value(),
                         Array<double>{100, 100, 0}));
}

TEST_CASE("losses: bad shapes and targets throw naming the op") {
  Variable<float> logits(Array<float>::from_shape({2, 3}));
  logits.value().fill(0.f);
  CHECK_THROWS_WITH_AS(tg::cross_entropy(Variable<float>(Array<float>::from_shape({3})), Labels{0, 1}),
                       "cross_entropy: expected logits of shape (N, C) or (N, C, d1, ...), got (3,)", tg::Error);
  CHECK_THROWS_WITH_AS(tg::nll_loss(Variable<float>(Array<float>::from_shape({3})), Labels{0, 1, 2}),
                       "nll_loss: expected log_probs of shape (N, C) or (N, C, d1, ...), got (3,)", tg::Error);
  CHECK_THROWS_WITH_AS(tg::cross_entropy(logits, Labels{0, 1, 2}),
                       "cross_entropy: expected target of shape (N,) = (2,) for logits of shape (2, 3), got (3,)",
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::nll_loss(logits, Labels{{0, 1}}),
                       doctest::Contains("nll_loss: expected target of shape (N,)"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::cross_entropy(Variable<float>(Array<float>::from_shape({2, 3, 4})), Labels{0, 1}),
                       "cross_entropy: expected target of shape (N, d1, ...) = (2, 4) for logits of shape (2, 3, 4), "
                       "got (2,)",
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::cross_entropy(logits, Labels{0, 3}),
                       "cross_entropy: target 3 at position 1 is out of range for 3 classes, expected 0 <= target < 3 "
                       "or the ignore_index -100",
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::nll_loss(logits, Labels{-1, 0}, Reduction::Sum),
                       doctest::Contains("nll_loss: target -1 at position 0 is out of range for 3 classes"), tg::Error);
  // -100 is only allowed while it is the ignore_index
  CHECK_THROWS_WITH_AS(tg::nll_loss(logits, Labels{-100, 0}, Variable<float>(), Reduction::Mean, 1),
                       doctest::Contains("nll_loss: target -100 at position 0 is out of range for 3 classes, expected "
                                         "0 <= target < 3 or the ignore_index 1"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::nll_loss(logits, Labels{0, 1}, Variable<float>(Array<float>{1.f, 2.f})),
                       "nll_loss: expected weight of shape (C,) = (3,), got (2,)", tg::Error);
  CHECK_THROWS_WITH_AS(tg::cross_entropy(logits, Labels{0, 1}, Variable<float>(Array<float>{1.f, 2.f, 3.f}, true)),
                       doctest::Contains("cross_entropy: weight requires grad"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::cross_entropy(logits, Labels{0, 1}, Variable<float>(), Reduction::Mean, -100, 1.5),
                       "cross_entropy: expected label_smoothing in [0, 1], got 1.500000", tg::Error);
  CHECK_THROWS_WITH_AS(tg::mse_loss(logits, Variable<float>(Array<float>::from_shape({3}))),
                       "mse_loss: expected input and target of the same shape, got (2, 3) and (3,)", tg::Error);
  CHECK_THROWS_WITH_AS(tg::l1_loss(logits, Variable<float>(Array<float>::from_shape({3}))),
                       "l1_loss: expected input and target of the same shape, got (2, 3) and (3,)", tg::Error);
  CHECK_THROWS_WITH_AS(tg::smooth_l1_loss(logits, logits, Reduction::Mean, -1.0),
                       "smooth_l1_loss: expected beta >= 0, got -1.000000", tg::Error);
  CHECK_THROWS_WITH_AS(tg::huber_loss(logits, logits, Reduction::Mean, 0.0), "huber_loss: expected delta > 0, got 0.000000",
                       tg::Error);
  const Variable<float> half(Array<float>{{0.5f, 0.5f, 0.5f}, {0.5f, 0.5f, 0.5f}});
  CHECK_THROWS_WITH_AS(tg::binary_cross_entropy(half, Variable<float>(Array<float>::from_shape({3}))),
                       "binary_cross_entropy: expected target of the input's shape (2, 3), got (3,)", tg::Error);
  CHECK_THROWS_WITH_AS(tg::binary_cross_entropy(Variable<float>(Array<float>{0.5f, 1.5f}), Variable<float>(Array<float>{0.f, 1.f})),
                       doctest::Contains("binary_cross_entropy: expected every input element in [0, 1] (probabilities; "
                                         "use binary_cross_entropy_with_logits for logits), got 1.5"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::binary_cross_entropy(half, half, Variable<float>(Array<float>{1.f, 2.f})),
                       "binary_cross_entropy: weight of shape (2,) does not broadcast to the input's shape (2, 3)",
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::binary_cross_entropy_with_logits(half, half, Variable<float>(),
                                                            Variable<float>(Array<float>::from_shape({2, 2, 3}))),
                       "binary_cross_entropy_with_logits: pos_weight of shape (2, 2, 3) does not broadcast to the "
                       "input's shape (2, 3)",
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::binary_cross_entropy_with_logits(half, half, Variable<float>(),
                                                            Variable<float>(Array<float>{1.f, 1.f, 1.f}, true)),
                       doctest::Contains("binary_cross_entropy_with_logits: pos_weight requires grad"), tg::Error);
}

TEST_CASE("loss modules and F:: with LibTorch's options builders") {
  namespace F = tg::nn::functional;
  Variable<float> logits(Array<float>{{1.f, 0.f, -1.f}, {0.5f, 0.5f, 2.f}}, true);
  const Labels target{0, 2};
  const Variable<float> w(Array<float>{1.f, 2.f, 3.f});
  auto options = tg::nn::CrossEntropyLossOptions().weight(w).label_smoothing(0.1).ignore_index(1).reduction(tg::kSum);
  tg::nn::CrossEntropyLossImpl criterion(options);
  const auto direct = tg::cross_entropy(logits, target, w, Reduction::Sum, 1, 0.1);
  CHECK(criterion.forward(logits, tg::Tensor(target)).item<double>() == doctest::Approx(direct.item()));
  CHECK(F::cross_entropy(logits, target, F::CrossEntropyFuncOptions().weight(w).label_smoothing(0.1).ignore_index(1)
                                             .reduction(tg::kSum)).item() == doctest::Approx(direct.item()));
  // the weight is a buffer, as in LibTorch
  const auto buffers = criterion.named_buffers();
  REQUIRE(buffers.size() == 1);
  CHECK(buffers[0].first == "weight");
  CHECK(tgtest::allclose(buffers[0].second.value<float>(), w.value()));
  CHECK(tg::nn::CrossEntropyLossImpl().named_buffers().is_empty());

  // the same options work in double: the weight takes the input's type
  Variable<double> logits64(Array<double>{{1., 0., -1.}, {0.5, 0.5, 2.}});
  CHECK(F::cross_entropy(logits64, target, options).item() ==
        doctest::Approx(tg::cross_entropy(logits64, target, Variable<double>(Array<double>{1., 2., 3.}), Reduction::Sum, 1, 0.1).item()));

  auto log_probs = tg::log_softmax(logits, 1);
  CHECK(tg::nn::NLLLossImpl(tg::nn::NLLLossOptions().weight(w)).forward(log_probs, tg::Tensor(target)).item<double>() ==
        doctest::Approx(tg::nll_loss(log_probs, target, w).item()));
  CHECK(F::nll_loss(log_probs, target, F::NLLLossFuncOptions().ignore_index(0)).item() ==
        doctest::Approx(tg::nll_loss(log_probs, Labels{-100, 2}).item()));

  const Variable<float> x(Array<float>{-1.f, 0.2f, 3.f}), y(Array<float>{0.f, 0.f, 1.f});
  CHECK(tg::nn::L1LossImpl(tg::kSum).forward(x, y).item<double>() == doctest::Approx(3.2));
  CHECK(tg::nn::SmoothL1LossImpl(tg::nn::SmoothL1LossOptions().beta(0.5)).forward(x, y).item<double>() ==
        doctest::Approx(tg::smooth_l1_loss(x, y, Reduction::Mean, 0.5).item()));
  CHECK(F::smooth_l1_loss(x, y, F::SmoothL1LossFuncOptions().beta(0.5)).item() ==
        doctest::Approx(tg::smooth_l1_loss(x, y, Reduction::Mean, 0.5).item()));
  CHECK(F::smooth_l1_loss(x, y, F::SmoothL1LossFuncOptions().beta(0.5), 2.0).item() ==  // LibTorch's beta argument
        doctest::Approx(tg::smooth_l1_loss(x, y, Reduction::Mean, 2.0).item()));
  CHECK(tg::nn::HuberLossImpl(tg::nn::HuberLossOptions().delta(0.5)).forward(x, y).item<double>() ==
        doctest::Approx(tg::huber_loss(x, y, Reduction::Mean, 0.5).item()));
  CHECK(F::huber_loss(x, y, F::HuberLossFuncOptions(tg::kNone).delta(0.5)).dim() == 1);
  CHECK(F::l1_loss(x, y, F::L1LossFuncOptions(tg::kSum)).item() == doctest::Approx(3.2));
  CHECK(F::mse_loss(x, y, F::MSELossFuncOptions(tg::kSum)).item() == doctest::Approx(1 + 0.04 + 4));

  const Variable<float> p(Array<float>{0.2f, 0.9f, 0.5f}), pw(Array<float>{2.f, 1.f, 0.5f});
  CHECK(tg::nn::BCELossImpl(tg::nn::BCELossOptions().weight(pw)).forward(p, y).item<double>() ==
        doctest::Approx(tg::binary_cross_entropy(p, y, pw).item()));
  CHECK(F::binary_cross_entropy(p, y, F::BinaryCrossEntropyFuncOptions(tg::kSum)).item() ==
        doctest::Approx(tg::binary_cross_entropy(p, y, Variable<float>(), Reduction::Sum).item()));
  tg::nn::BCEWithLogitsLossImpl with_logits(tg::nn::BCEWithLogitsLossOptions().pos_weight(pw).weight(w));
  CHECK(with_logits.forward(x, y).item<double>() == doctest::Approx(tg::binary_cross_entropy_with_logits(x, y, w, pw).item()));
  CHECK(with_logits.named_buffers().size() == 2);
  CHECK(F::binary_cross_entropy_with_logits(x, y, F::BinaryCrossEntropyWithLogitsFuncOptions().pos_weight(pw)).item() ==
        doctest::Approx(tg::binary_cross_entropy_with_logits(x, y, Variable<float>(), pw).item()));

  auto printed = [](const tg::nn::Module& m) {
    std::ostringstream s;
    m.pretty_print(s);
    return s.str();
  };
  CHECK(printed(criterion) == "CrossEntropyLoss(reduction=sum, ignore_index=1, label_smoothing=0.1)");
  CHECK(printed(tg::nn::NLLLossImpl()) == "NLLLoss()");
  CHECK(printed(tg::nn::SmoothL1LossImpl(tg::nn::SmoothL1LossOptions().beta(0.5))) == "SmoothL1Loss(beta=0.5)");
  CHECK(printed(tg::nn::HuberLossImpl(tg::kNone)) == "HuberLoss(reduction=none)");
  CHECK(printed(tg::nn::BCEWithLogitsLossImpl()) == "BCEWithLogitsLoss()");
}
