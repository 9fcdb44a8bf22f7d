#include "check.hpp"

#include <xtensor/xadapt.hpp>

using tg::Array;
using tg::Variable;
using tgtest::rand_var;
using tgtest::var;
using V = std::vector<Variable<double>>;

namespace {

// A (rows, cols) array of the given values.
Array<double> matrix(std::size_t rows, std::size_t cols, std::vector<double> values) {
  Array<double> a = xt::adapt(values, std::vector<std::size_t>{rows, cols});
  return a;
}

std::vector<tg::Shape> shapes_of(const V& pieces) {
  std::vector<tg::Shape> s;
  for (const auto& p : pieces) s.push_back(p.shape());
  return s;
}

}  // namespace

TEST_CASE("cat and stack: values by hand, any dim") {
  const auto a = var({{1., 2.}, {3., 4.}}), b = var(matrix(1, 2, {5., 6.})), c = var(matrix(2, 1, {7., 8.}));
  CHECK(tgtest::allclose(tg::cat(V{a, b}).value(), Array<double>{{1., 2.}, {3., 4.}, {5., 6.}}));
  CHECK(tgtest::allclose(tg::cat(V{a, c}, 1).value(), Array<double>{{1., 2., 7.}, {3., 4., 8.}}));
  CHECK(tgtest::allclose(tg::cat(V{c, a, c}, -1).value(), Array<double>{{7., 1., 2., 7.}, {8., 3., 4., 8.}}));
  CHECK(tgtest::allclose(tg::cat(V{a}).value(), a.value()));
  CHECK(tg::cat(V{a, var(Array<double>::from_shape({0, 2}))}).shape() == tg::Shape{2, 2});

  const auto d = var({{10., 20.}, {30., 40.}});
  CHECK(tgtest::allclose(tg::stack(V{a, d}).value(), Array<double>{{{1., 2.}, {3., 4.}}, {{10., 20.}, {30., 40.}}}));
  CHECK(tgtest::allclose(tg::stack(V{a, d}, 1).value(), Array<double>{{{1., 2.}, {10., 20.}}, {{3., 4.}, {30., 40.}}}));
  CHECK(tgtest::allclose(tg::stack(V{a, d}, -1).value(), Array<double>{{{1., 10.}, {2., 20.}}, {{3., 30.}, {4., 40.}}}));
  CHECK(tgtest::allclose(tg::stack(V{var(Array<double>(1.)), var(Array<double>(2.))}).value(), Array<double>{1., 2.}));
}

TEST_CASE("split and chunk: pieces as torch's") {
  const auto x = var(Array<double>{{0., 1.}, {2., 3.}, {4., 5.}, {6., 7.}, {8., 9.}});  // (5, 2)
  CHECK(shapes_of(tg::split(x, 2)) == std::vector<tg::Shape>{{2, 2}, {2, 2}, {1, 2}});
  CHECK(shapes_of(tg::split(x, 7)) == std::vector<tg::Shape>{{5, 2}});
  CHECK(shapes_of(tg::split(x, std::vector<std::int64_t>{1, 0, 4})) == std::vector<tg::Shape>{{1, 2}, {0, 2}, {4, 2}});
  CHECK(shapes_of(tg::split(x, 1, 1)) == std::vector<tg::Shape>{{5, 1}, {5, 1}});
  CHECK(shapes_of(tg::chunk(x, 3)) == std::vector<tg::Shape>{{2, 2}, {2, 2}, {1, 2}});
  CHECK(shapes_of(tg::chunk(x, 4)) == std::vector<tg::Shape>{{2, 2}, {2, 2}, {1, 2}});  // fewer than asked
  CHECK(shapes_of(tg::chunk(x, 9)) == std::vector<tg::Shape>(5, tg::Shape{1, 2}));
  const auto empty = var(Array<double>::from_shape({0, 2}));
  CHECK(shapes_of(tg::chunk(empty, 3)) == std::vector<tg::Shape>(3, tg::Shape{0, 2}));
  CHECK(shapes_of(tg::split(empty, 2)) == std::vector<tg::Shape>{{0, 2}});
  CHECK(shapes_of(tg::split(empty, 0)) == std::vector<tg::Shape>{{0, 2}});
  const auto parts = tg::split(x, std::vector<std::int64_t>{3, 2});
  CHECK(tgtest::allclose(parts[1].value(), Array<double>{{6., 7.}, {8., 9.}}));
  CHECK(tgtest::allclose(tg::cat(tg::chunk(x, 2, -1), 0).value(), matrix(10, 1, {0., 2., 4., 6., 8., 1., 3., 5., 7., 9.})));
}

TEST_CASE("cat, stack, split, chunk gradchecks, inputs that need no gradient get none") {
  auto a = rand_var({2, 3, 4}, 1), b = rand_var({2, 1, 4}, 2), c = rand_var({2, 5, 4}, 3);
  CHECK_GRADCHECK([](const V& in) { return tg::cat(in, 1); }, {a, b, c});
  CHECK_GRADCHECK([](const V& in) { return tg::cat(V{in[0], in[0]}, 0); }, {a});  // one input twice
  auto d = rand_var({2, 3, 4}, 4), e = rand_var({2, 3, 4}, 5, -1, 1, /*requires_grad=*/false);
  for (std::ptrdiff_t dim : {0, 1, 2, 3, -1}) {
    CAPTURE(dim);
    CHECK_GRADCHECK([dim](const V& in) { return tg::stack(in, dim); }, {a, d, e});
  }
  // the pieces recombined with different weights, so every piece's gradient counts
  CHECK_GRADCHECK([](const V& in) {
    auto p = tg::split(in[0], std::vector<std::int64_t>{1, 3, 1}, 1);
    return tg::cat(V{p[2] * 3.0, p[0], tg::exp(p[1])}, 1);
  }, {c});
  CHECK_GRADCHECK([](const V& in) {
    auto p = tg::chunk(in[0], 3, -1);
    return p[0] * p[1] + p[2];  // one piece left out entirely: its slice gets no gradient
  }, {rand_var({3, 6}, 6)});

  Variable<double> x(Array<double>{1., 2.}, true), y(Array<double>{3.});
  tg::cat(V{x, y}).backward(Array<double>{1., 2., 3.});
  CHECK(tgtest::allclose(x.grad(), Array<double>{1., 2.}));
  CHECK_FALSE(y.has_grad());
}

TEST_CASE("cat, stack, split, chunk: bad input throws naming the op and the shapes") {
  const auto a = var(Array<double>::from_shape({2, 3})), b = var(Array<double>::from_shape({2, 4}));
  CHECK_THROWS_WITH_AS(tg::cat(V{a, b}, 0),
                       "cat: expected tensors of the same rank and the same sizes except along dim 0, got shapes (2, 3), (2, 4)",
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::cat(V{a, var(Array<double>::from_shape({6}))}, 0),
                       doctest::Contains("got shapes (2, 3), (6,)"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::cat(V{}), "cat: expected a non-empty list of tensors", tg::Error);
  CHECK_THROWS_WITH_AS(tg::cat(V{var(Array<double>(1.))}), doctest::Contains("cat: zero-dimensional"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::cat(V{a, Variable<double>()}), "cat: tensor 1 is undefined", tg::Error);
  CHECK_THROWS_WITH_AS(tg::cat(V{a, b}, 2), doctest::Contains("cat: dim 2 is out of range for a tensor of rank 2"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::stack(V{a, b}), "stack: expected tensors of the same shape, got shapes (2, 3), (2, 4)",
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::stack(V{a, a}, 3), doctest::Contains("stack: dim 3 is out of range for a tensor of rank 3"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::split(a, 0, 1),
                       "split: split_size 0 for dim 1 of size 3 in shape (2, 3) (expected split_size > 0, or 0 for a "
                       "dim of size 0)",
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::split(a, -1), doctest::Contains("split: split_size -1"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::split(a, std::vector<std::int64_t>{2, 2}, 1),
                       "split: split_sizes (2, 2) do not add up to the size 3 of dim 1 in shape (2, 3) (expected sizes "
                       ">= 0 summing exactly to it)",
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::split(a, std::vector<std::int64_t>{4, -1}, 1), doctest::Contains("do not add up"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::chunk(a, 0), "chunk: expected chunks > 0, got 0", tg::Error);
}
