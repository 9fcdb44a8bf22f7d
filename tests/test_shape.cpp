#include "check.hpp"

#include <xtensor/xbuilder.hpp>

using tg::Labels;
using tg::Array;
using tg::Variable;
using tgtest::column;
using tgtest::rand_var;
using V = std::vector<Variable<double>>;

namespace {

// 0, 1, 2, ... in the given shape: element (i, j, k) of a (2, 3, 4) tensor is 12i + 4j + k.
Variable<double> iota_var(const tg::Shape& shape, bool requires_grad = true) {
  Array<double> t = xt::arange<double>(static_cast<double>(xt::compute_size(shape)));
  t.reshape(shape);
  return Variable<double>(std::move(t), requires_grad);
}

}  // namespace

TEST_CASE("reshape, view, flatten: values and shapes") {
  auto x = iota_var({2, 3});
  CHECK(tgtest::allclose(tg::reshape(x, {3, -1}).value(), Array<double>{{0, 1}, {2, 3}, {4, 5}}));
  CHECK(tgtest::allclose(tg::view(x, {-1}).value(), Array<double>{0, 1, 2, 3, 4, 5}));
  CHECK(tg::reshape(x, {1, 6, 1}).shape() == tg::Shape{1, 6, 1});

  auto y = iota_var({2, 3, 4});
  CHECK(tg::flatten(y).shape() == tg::Shape{24});
  CHECK(tg::flatten(y, 1).shape() == tg::Shape{2, 12});
  CHECK(tg::flatten(y, 0, 1).shape() == tg::Shape{6, 4});
  CHECK(tg::flatten(y, -2, -1).shape() == tg::Shape{2, 12});
  CHECK(tg::flatten(y, 1, 1).shape() == tg::Shape{2, 3, 4});
  CHECK(tgtest::allclose(tg::flatten(y, 0, 1).value(), Array<double>(tg::reshape(y, {6, 4}).value())));
  CHECK(tg::flatten(Variable<double>(Array<double>(7.0))).shape() == tg::Shape{1});

  // The backward hands the gradient back in the input's shape, element for element.
  auto r = tg::reshape(x, {3, 2});
  r.backward(Array<double>{{1, 2}, {3, 4}, {5, 6}});
  CHECK(tgtest::allclose(x.grad(), Array<double>{{1, 2, 3}, {4, 5, 6}}));
  // A copy: writing into the result leaves the input alone.
  r.value()(0, 0) = 100;
  CHECK(x.value()(0, 0) == 0);
}

TEST_CASE("reshape, view, flatten: gradchecks") {
  auto y = rand_var({2, 3, 4}, 1);
  CHECK_GRADCHECK([](const V& in) { return tg::reshape(in[0], {4, -1}); }, {y});
  CHECK_GRADCHECK([](const V& in) { return tg::view(in[0], {-1, 2, 2}); }, {y});
  CHECK_GRADCHECK([](const V& in) { return tg::flatten(in[0]); }, {y});
  CHECK_GRADCHECK([](const V& in) { return tg::flatten(in[0], 1, -1); }, {y});
  CHECK_GRADCHECK([](const V& in) { return tg::flatten(in[0], -3, -2); }, {y});
}

TEST_CASE("reshape, view, flatten: bad shapes throw naming the op") {
  auto x = iota_var({2, 3}, false);
  CHECK_THROWS_WITH_AS(tg::reshape(x, {4, -1}),
                       doctest::Contains("reshape: cannot reshape a tensor of shape (2, 3) (6 elements) into (4, -1)"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::reshape(x, {4, 2}), doctest::Contains("same number of elements"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::reshape(x, {-1, -1}), doctest::Contains("only one dim may be -1"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::reshape(x, {-2, -3}), doctest::Contains("expected dims >= 0"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::reshape(x, {0, -1}), doctest::Contains("cannot be inferred"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::view(x, {5}), doctest::Contains("view: cannot reshape"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::flatten(x, 1, 0),
                       doctest::Contains("flatten: start_dim 1 comes after end_dim 0 for a tensor of shape (2, 3)"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::flatten(x, 2), doctest::Contains("flatten: dim 2 is out of range"), tg::Error);
}

TEST_CASE("transpose and permute: values by hand") {
  auto x = iota_var({2, 3});
  CHECK(tgtest::allclose(tg::transpose(x, 0, 1).value(), Array<double>{{0, 3}, {1, 4}, {2, 5}}));
  CHECK(tgtest::allclose(tg::transpose(x, -1, -2).value(), Array<double>{{0, 3}, {1, 4}, {2, 5}}));

  auto y = iota_var({2, 3, 4});  // y(i, j, k) = 12i + 4j + k
  // out(k, i, j) = y(i, j, k): strided copy
  CHECK(tgtest::allclose(tg::permute(y, {2, 0, 1}).value(),
                         Array<double>{{{0, 4, 8}, {12, 16, 20}},
                                        {{1, 5, 9}, {13, 17, 21}},
                                        {{2, 6, 10}, {14, 18, 22}},
                                        {{3, 7, 11}, {15, 19, 23}}}));
  // out(j, i, k) = y(i, j, k): the last dim stays, so rows of 4 move whole
  CHECK(tgtest::allclose(tg::permute(y, {1, 0, -1}).value(),
                         Array<double>{{{0, 1, 2, 3}, {12, 13, 14, 15}},
                                        {{4, 5, 6, 7}, {16, 17, 18, 19}},
                                        {{8, 9, 10, 11}, {20, 21, 22, 23}}}));
  CHECK(tgtest::allclose(tg::permute(y, {0, 1, 2}).value(), y.value()));
  // transpose(0, 2): out(k, j, i) = y(i, j, k)
  auto t = tg::transpose(y, 0, -1);
  CHECK(t.shape() == tg::Shape{4, 3, 2});
  CHECK(t.value()(3, 1, 1) == 12 + 4 + 3);
  CHECK(t.value()(2, 2, 0) == 8 + 2);

  // Backward: the inverse permutation. Seeding out(k, i, j) with its own value y(i, j, k) gives y back.
  auto p = tg::permute(y, {2, 0, 1});
  p.backward(p.value());
  CHECK(tgtest::allclose(y.grad(), y.value()));
}

TEST_CASE("transpose and permute: gradchecks for every pair and order") {
  auto y = rand_var({2, 3, 4}, 2);
  for (const auto& dims : std::vector<std::pair<int, int>>{{0, 1}, {0, 2}, {1, 2}, {-1, 0}, {-2, -1}, {1, 1}}) {
    // Plain ints, not a structured binding: C++17 lambdas (CAPTURE's) cannot name one under clang.
    const int a = dims.first, b = dims.second;
    CAPTURE(a);
    CAPTURE(b);
    CHECK_GRADCHECK([a, b](const V& in) { return tg::transpose(in[0], a, b); }, {y});
  }
  using Dims = std::vector<std::ptrdiff_t>;
  for (Dims dims : std::vector<Dims>{{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}, {-1, 0, 1}}) {
    CAPTURE(tg::shape_str(dims));
    CHECK_GRADCHECK([dims](const V& in) { return tg::permute(in[0], dims); }, {y});
  }
  auto z = rand_var({2, 2, 3, 2}, 3);
  CHECK_GRADCHECK([](const V& in) { return tg::permute(in[0], {1, 0, 2, 3}); }, {z});
  CHECK_GRADCHECK([](const V& in) { return tg::permute(in[0], {3, 2, 0, 1}); }, {z});
  CHECK_GRADCHECK([](const V& in) { return tg::transpose(in[0], 1, 2); }, {z});
  auto m = rand_var({3, 5}, 4);
  CHECK_GRADCHECK([](const V& in) { return tg::transpose(in[0], 0, 1); }, {m});
}

TEST_CASE("transpose and permute: bad dims throw naming the op") {
  auto y = iota_var({2, 3, 4}, false);
  CHECK_THROWS_WITH_AS(tg::permute(y, {0, 0, 1}),
                       doctest::Contains("permute: dims (0, 0, 1) are not a permutation of the 3 dims of a tensor of "
                                         "shape (2, 3, 4)"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::permute(y, {0, 1}), doctest::Contains("permute: dims (0, 1) are not a permutation"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::permute(y, {0, 1, 3}), doctest::Contains("permute: dim 3 is out of range"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::transpose(y, 0, -4), doctest::Contains("transpose: dim -4 is out of range"), tg::Error);
}

TEST_CASE("narrow: values, zero-filled and accumulated gradients") {
  auto x = iota_var({4, 3});  // x(i, j) = 3i + j
  CHECK(tgtest::allclose(tg::narrow(x, 0, 1, 2).value(), Array<double>{{3, 4, 5}, {6, 7, 8}}));
  CHECK(tgtest::allclose(tg::narrow(x, 1, 1, 2).value(), Array<double>{{1, 2}, {4, 5}, {7, 8}, {10, 11}}));
  CHECK(tgtest::allclose(tg::narrow(x, -1, -1, 1).value(), column(Array<double>{2, 5, 8, 11})));
  CHECK(tg::narrow(x, 0, 4, 0).shape() == tg::Shape{0, 3});

  tg::narrow(x, 1, 1, 2).backward(Array<double>{{1, 2}, {3, 4}, {5, 6}, {7, 8}});
  CHECK(tgtest::allclose(x.grad(), Array<double>{{0, 1, 2}, {0, 3, 4}, {0, 5, 6}, {0, 7, 8}}));
  // Two overlapping slices of one tensor: the second adds into the gradient the first wrote.
  x.zero_grad();
  (tg::narrow(x, 0, 0, 2) + tg::narrow(x, 0, 1, 2)).backward(Array<double>(xt::ones<double>({2, 3})));
  CHECK(tgtest::allclose(x.grad(), Array<double>{{1, 1, 1}, {2, 2, 2}, {1, 1, 1}, {0, 0, 0}}));
}

TEST_CASE("narrow: gradchecks on every dim") {
  auto y = rand_var({3, 4, 5}, 5);
  CHECK_GRADCHECK([](const V& in) { return tg::narrow(in[0], 0, 1, 2); }, {y});
  CHECK_GRADCHECK([](const V& in) { return tg::narrow(in[0], 1, 0, 3); }, {y});
  CHECK_GRADCHECK([](const V& in) { return tg::narrow(in[0], 2, 2, 3); }, {y});
  CHECK_GRADCHECK([](const V& in) { return tg::narrow(in[0], -1, -4, 2); }, {y});
  CHECK_GRADCHECK([](const V& in) { return tg::narrow(in[0], -3, 0, 1) * tg::narrow(in[0], 0, 2, 1); }, {y});
}

TEST_CASE("narrow: out-of-range slices throw naming the op") {
  auto x = iota_var({4, 3}, false);
  CHECK_THROWS_WITH_AS(tg::narrow(x, 0, 3, 2),
                       doctest::Contains("narrow: start 3 and length 2 do not fit dim 0 of size 4 in shape (4, 3)"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::narrow(x, 1, -4, 1), doctest::Contains("narrow: start -4 and length 1"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::narrow(x, 1, 0, -1), doctest::Contains("narrow:"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::narrow(x, 2, 0, 1), doctest::Contains("narrow: dim 2 is out of range"), tg::Error);
}

TEST_CASE("expand: values, new leading dims, -1, and the gradient summed over the repeats") {
  auto x = iota_var({3, 1});  // 0, 1, 2 down a column
  const auto e = tg::expand(x, {2, -1, 4});
  CHECK(e.shape() == tg::Shape{2, 3, 4});
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t j = 0; j < 3; ++j)
      for (std::size_t k = 0; k < 4; ++k) CHECK(e.value()(i, j, k) == double(j));
  tg::sum(e).backward();
  CHECK(tgtest::allclose(x.grad(), column(Array<double>{8, 8, 8})));
  CHECK(tg::expand(x, {3, 1}).shape() == tg::Shape{3, 1});
  CHECK(tg::expand(x, {0, 3, 5}).shape() == tg::Shape{0, 3, 5});
}

TEST_CASE("expand: gradchecks, and bad sizes throw naming the op and both shapes") {
  auto y = rand_var({1, 4, 1}, 9);
  CHECK_GRADCHECK([](const V& in) { return tg::expand(in[0], {3, 4, 2}); }, {y});
  CHECK_GRADCHECK([](const V& in) { return tg::expand(in[0], {2, -1, -1, 5}) * tg::expand(in[0], {2, 1, 4, 5}); }, {y});
  CHECK_THROWS_WITH_AS(tg::expand(y, {3, 5, 1}),
                       doctest::Contains("expand: cannot expand a tensor of shape (1, 4, 1) to (3, 5, 1): dim 1 has size 4"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::expand(y, {4, 1}), doctest::Contains("expected at least as many sizes as the tensor's 3 dims"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::expand(y, {-1, 1, 4, 1}), doctest::Contains("a new leading dim (dim 0) needs a size >= 0"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::expand(y, {1, -2, 1}), doctest::Contains("expected sizes >= 0, or -1 to keep a dim"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::expand(y, {std::ptrdiff_t(1) << 40, std::ptrdiff_t(1) << 40, 4, 1}),
                       doctest::Contains("expand"), tg::Error);
}

TEST_CASE("index_select: values and repeated indices accumulating in the gradient") {
  Variable<double> x(Array<double>{{1, 2}, {3, 4}, {5, 6}}, true);
  auto rows = tg::index_select(x, 0, Labels{2, 0, 2});
  CHECK(tgtest::allclose(rows.value(), Array<double>{{5, 6}, {1, 2}, {5, 6}}));
  rows.backward(Array<double>{{1, 2}, {3, 4}, {5, 6}});
  CHECK(tgtest::allclose(x.grad(), Array<double>{{3, 4}, {0, 0}, {6, 8}}));

  auto cols = tg::index_select(x, -1, Labels{1, 1, 0});
  CHECK(tgtest::allclose(cols.value(), Array<double>{{2, 2, 1}, {4, 4, 3}, {6, 6, 5}}));
  CHECK(tg::index_select(x, 0, Labels::from_shape({0})).shape() == tg::Shape{0, 2});
}

TEST_CASE("index_select: gradchecks on every dim, with repeats") {
  auto y = rand_var({3, 4, 2}, 6);
  CHECK_GRADCHECK([](const V& in) { return tg::index_select(in[0], 0, Labels{2, 0, 2, 2}); }, {y});
  CHECK_GRADCHECK([](const V& in) { return tg::index_select(in[0], 1, Labels{3, 3, 1}); }, {y});
  CHECK_GRADCHECK([](const V& in) { return tg::index_select(in[0], -1, Labels{1, 0, 1}); }, {y});
  CHECK_GRADCHECK([](const V& in) { return tg::index_select(in[0], -2, Labels{0}); }, {y});
}

TEST_CASE("index_select: bad indices throw naming the op, the value, its position and the dim size") {
  auto x = iota_var({3, 2}, false);
  CHECK_THROWS_WITH_AS(tg::index_select(x, 0, Labels{0, 3}),
                       "index_select: index 3 at position 1 is out of range for dim 0 of size 3, "
                       "expected 0 <= index < 3",
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::index_select(x, 1, Labels{-1}),
                       doctest::Contains("index_select: index -1 at position 0 is out of range for dim 1 of size 2"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::index_select(x, 0, Labels{{0, 1}}),
                       doctest::Contains("index_select: expected a 1-D index, got shape (1, 2)"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::index_select(x, 2, Labels{0}), doctest::Contains("index_select: dim 2"), tg::Error);
}

TEST_CASE("gather: values and repeated indices accumulating in the gradient") {
  // torch.gather's documented example: out[i][j] = x[i][index[i][j]]
  Variable<double> x(Array<double>{{1, 2}, {3, 4}}, true);
  auto g = tg::gather(x, 1, Labels{{0, 0}, {1, 0}});
  CHECK(tgtest::allclose(g.value(), Array<double>{{1, 1}, {4, 3}}));
  g.backward(Array<double>{{1, 2}, {3, 4}});
  CHECK(tgtest::allclose(x.grad(), Array<double>{{3, 0}, {4, 3}}));

  // dim 0 with an index smaller than x in the other dim: out[i][j] = x[index[i][j]][j]
  auto y = iota_var({3, 4}, false);  // y(i, j) = 4i + j
  CHECK(tgtest::allclose(tg::gather(y, 0, Labels{{2, 0, 1}}).value(), Array<double>{{8, 1, 6}}));
  // the 3-D case, dim 1: out[i][j][k] = z[i][index[i][j][k]][k]
  auto z = iota_var({2, 3, 2}, false);  // z(i, j, k) = 6i + 2j + k
  CHECK(tgtest::allclose(tg::gather(z, -2, Labels{{{2, 0}}, {{1, 1}}}).value(), Array<double>{{{4, 1}}, {{8, 9}}}));
}

TEST_CASE("gather: gradchecks on every dim, with repeats") {
  auto y = rand_var({2, 3, 4}, 7);
  CHECK_GRADCHECK([](const V& in) { return tg::gather(in[0], 0, Labels{{{1, 0, 1, 1}, {0, 0, 0, 1}}}); }, {y});
  CHECK_GRADCHECK([](const V& in) { return tg::gather(in[0], 1, Labels{{{2, 2}, {0, 2}}, {{1, 1}, {1, 0}}}); }, {y});
  CHECK_GRADCHECK([](const V& in) { return tg::gather(in[0], -1, Labels{{{3, 3, 3}}, {{0, 1, 0}}}); }, {y});
  auto m = rand_var({4, 5}, 8);  // the nll-style pick of one column per row
  CHECK_GRADCHECK([](const V& in) { return tg::gather(in[0], 1, column(Labels{4, 0, 4, 2})); }, {m});
}

TEST_CASE("gather: bad indices throw naming the op, the value, its position and the dim size") {
  auto x = iota_var({2, 2}, false);
  CHECK_THROWS_WITH_AS(tg::gather(x, 1, Labels{{0, 1}, {2, 0}}),
                       "gather: index 2 at position (1, 0) is out of range for dim 1 of size 2, "
                       "expected 0 <= index < 2",
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::gather(x, 0, Labels{{0, -3}}),
                       doctest::Contains("gather: index -3 at position (0, 1) is out of range for dim 0 of size 2"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::gather(x, 1, Labels{0, 1}),
                       doctest::Contains("gather: index of shape (2,) does not fit input of shape (2, 2) along dim 1"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::gather(x, 1, column(Labels{0, 1, 0})),
                       doctest::Contains("gather: index of shape (3, 1) does not fit"), tg::Error);
}
