#include "check.hpp"

#include <limits>

using tg::Array;
using tg::Labels;
using tg::Mask;
using tg::Variable;
using tgtest::column;
using tgtest::rand_var;
using V = std::vector<Variable<double>>;

TEST_CASE("where and masked_fill: values by hand, broadcasting as torch") {
  const Variable<double> a(Array<double>{{1., 2.}, {3., 4.}}), b(column(Array<double>{-1., -2.}));
  CHECK(tgtest::allclose(tg::where(Mask{{true, false}, {false, true}}, a, b).value(), Array<double>{{1., -1.}, {-2., 4.}}));
  // torch.where(tensor([True, False]), tensor(1.), tensor([[2.], [3.]])) = [[1, 2], [1, 3]]
  CHECK(tgtest::allclose(tg::where(Mask{true, false}, Variable<double>(Array<double>(1.)), Variable<double>(column(Array<double>{2., 3.}))).value(),
                         Array<double>{{1., 2.}, {1., 3.}}));
  CHECK(tgtest::allclose(tg::masked_fill(a, Mask{false, true}, 9.).value(), Array<double>{{1., 9.}, {3., 9.}}));
  // the mask may be larger than x: torch's out-of-place masked_fill broadcasts both
  CHECK(tgtest::allclose(tg::masked_fill(Variable<float>(Array<float>{0.f, 0.f}), Mask{{true, false}, {false, false}}, 5.f).value(),
                         Array<float>{{5.f, 0.f}, {0.f, 0.f}}));
  // relu as a masked_fill
  Variable<float> x(Array<float>{-1.f, 2.f, -3.f});
  CHECK(tgtest::allclose(tg::masked_fill(x, Mask(x.value() < 0.f), 0.f).value(), Array<float>{0.f, 2.f, 0.f}));
}

TEST_CASE("where and masked_fill gradchecks, broadcast operands included") {
  auto a = rand_var({3, 4}, 1), b = rand_var({4}, 2), c = rand_var({3, 1}, 3);
  const Mask m{{true, false, true, false}, {false, false, true, true}, {true, true, false, false}};
  CHECK_GRADCHECK([m](const V& in) { return tg::where(m, in[0], in[1]); }, {a, b});
  CHECK_GRADCHECK([m](const V& in) { return tg::where(m, in[0], in[1]); }, {c, b});
  CHECK_GRADCHECK([](const V& in) { return tg::where(Mask{true, false, false, true}, in[0], in[1]); }, {c, b});
  CHECK_GRADCHECK([m](const V& in) { return tg::masked_fill(in[0], m, 2.0); }, {a});
  CHECK_GRADCHECK([](const V& in) { return tg::masked_fill(in[0], column(Mask{true, false}), 2.0); }, {b});
  // the same input on both sides
  CHECK_GRADCHECK([m](const V& in) { return tg::where(m, in[0], in[0] * 2.0); }, {a});
}

TEST_CASE("where and masked_fill: shapes that do not broadcast throw naming all of them") {
  const Variable<double> a(Array<double>::from_shape({2, 3})), b(Array<double>::from_shape({3}));
  CHECK_THROWS_WITH_AS(tg::where(Mask{true, false}, a, b),
                       "where: condition (2,), input (2, 3) and other (3,) do not broadcast (expected equal dims or 1 "
                       "at each trailing position)",
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::masked_fill(a, Mask{{true, false}}, 1.), "masked_fill: mask (1, 2) and input (2, 3) do not broadcast "
                       "(expected equal dims or 1 at each trailing position)", tg::Error);
}

TEST_CASE("one_hot: values, inferred class count, bad labels") {
  CHECK(tg::one_hot(Labels{0, 2}) == Labels{{1, 0, 0}, {0, 0, 1}});
  CHECK(tg::one_hot(Labels{1, 0}, 4) == Labels{{0, 1, 0, 0}, {1, 0, 0, 0}});
  CHECK(tg::one_hot(column(Labels{1, 0}), 2) == Labels{{{0, 1}}, {{1, 0}}});
  CHECK(tg::one_hot(Labels(1), 3) == Labels{0, 1, 0});
  CHECK(tg::one_hot(Labels::from_shape({0}), 3).shape() == std::vector<std::size_t>{0, 3});
  CHECK_THROWS_WITH_AS(tg::one_hot(Labels::from_shape({0})),
                       "one_hot: cannot infer num_classes from empty labels of shape (0,) (pass num_classes)", tg::Error);
  CHECK_THROWS_WITH_AS(tg::one_hot(Labels{0, 3}, 3),
                       "one_hot: label 3 at position 1 is out of range for 3 classes, expected 0 <= label < 3", tg::Error);
  CHECK_THROWS_WITH_AS(tg::one_hot(Labels{-1, 0}), doctest::Contains("one_hot: label -1 at position 0"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::one_hot(Labels{0}, -2), "one_hot: expected num_classes >= 0, or -1 to infer it, got -2",
                       tg::Error);
}

TEST_CASE("allclose: tolerances as torch, infinities, NaN, broadcasting") {
  using F = Variable<float>;
  const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
  CHECK(tg::allclose(F(Array<float>{1.f, 2.f}), F(Array<float>{1.f, 2.f})));
  CHECK(tg::allclose(Variable<double>(Array<double>{1. + 1e-6}), Variable<double>(Array<double>{1.})));
  CHECK_FALSE(tg::allclose(Variable<double>(Array<double>{1. + 1e-4}), Variable<double>(Array<double>{1.})));
  CHECK(tg::allclose(Variable<double>(Array<double>{1. + 1e-4}), Variable<double>(Array<double>{1.}), 1e-3));
  CHECK(tg::allclose(Variable<double>(Array<double>{1e-9}), Variable<double>(Array<double>{0.})));  // atol
  CHECK_FALSE(tg::allclose(Variable<double>(Array<double>{1e-9}), Variable<double>(Array<double>{0.}), 1e-5, 0.));
  // |a - b| <= atol + rtol * |b|: not symmetric
  CHECK(tg::allclose(Variable<double>(Array<double>{0.}), Variable<double>(Array<double>{1.}), 1.0, 0.));
  CHECK_FALSE(tg::allclose(Variable<double>(Array<double>{1.}), Variable<double>(Array<double>{0.}), 1.0, 0.));
  CHECK(tg::allclose(Variable<double>(Array<double>{inf, -inf}), Variable<double>(Array<double>{inf, -inf})));
  CHECK_FALSE(tg::allclose(Variable<double>(Array<double>{inf}), Variable<double>(Array<double>{-inf})));
  CHECK_FALSE(tg::allclose(Variable<double>(Array<double>{nan}), Variable<double>(Array<double>{nan})));
  CHECK(tg::allclose(Variable<double>(Array<double>{nan}), Variable<double>(Array<double>{nan}), 1e-5, 1e-8, true));
  CHECK(tg::allclose(F(Array<float>{{1.f, 1.f}, {1.f, 1.f}}), F(Array<float>(1.f))));
  CHECK_THROWS_WITH_AS(tg::allclose(F(Array<float>::from_shape({2})), F(Array<float>::from_shape({3}))),
                       doctest::Contains("allclose: shapes (2,) and (3,) do not broadcast"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::allclose(F(Array<float>{1.f}), F(Array<float>{1.f}), -1.),
                       doctest::Contains("allclose: expected rtol >= 0 and atol >= 0"), tg::Error);
}
