#include "check.hpp"

#include <random>

using tg::Array;
using tg::Variable;
using V = std::vector<Variable<double>>;

namespace {

Variable<float> grid4x4(bool requires_grad = false) {
  return Variable<float>(Array<float>{{{{1.f, 5.f, 2.f, -2.f},
                                         {3.f, 4.f, 8.f, 6.f},
                                         {9.f, 7.f, 1.f, 2.f},
                                         {-1.f, 6.f, 3.f, 5.f}}}},
                         requires_grad);
}

// Distinct values in [-1, 1), shuffled: no ties, so max pooling is differentiable everywhere and the
// finite differences of gradcheck (step 1e-6) never move the argmax.
Variable<double> distinct_var(const tg::Shape& shape, unsigned seed) {
  std::size_t n = 1;
  for (auto s : shape) n *= s;
  Array<double> v = Array<double>::from_shape(shape);
  for (std::size_t k = 0; k < n; ++k) v.data()[k] = -1.0 + 2.0 * double(k) / double(n);
  std::mt19937 eng(seed);
  std::shuffle(v.begin(), v.end(), eng);
  return Variable<double>(std::move(v), true);
}

}  // namespace

TEST_CASE("max_pool2d: 2x2 windows by hand, with the gradient going to each window's maximum") {
  auto x = grid4x4(true);
  auto y = tg::max_pool2d(x, 2);
  CHECK(tgtest::allclose(y.value(), Array<float>{{{{5.f, 8.f}, {9.f, 5.f}}}}));
  y.backward(Array<float>{{{{1.f, 2.f}, {3.f, 4.f}}}});
  CHECK(tgtest::allclose(x.grad(), Array<float>{{{{0.f, 1.f, 0.f, 0.f},
                                                     {0.f, 0.f, 2.f, 0.f},
                                                     {3.f, 0.f, 0.f, 0.f},
                                                     {0.f, 0.f, 0.f, 4.f}}}}));
}

TEST_CASE("max_pool2d: overlapping 3x3 windows with stride 1 share a maximum and add its gradients") {
  auto x = grid4x4(true);
  auto y = tg::max_pool2d(x, 3, 1);
  CHECK(tgtest::allclose(y.value(), Array<float>{{{{9.f, 8.f}, {9.f, 8.f}}}}));
  y.backward(Array<float>{{{{1.f, 2.f}, {3.f, 4.f}}}});
  Array<float> expected = xt::zeros<float>({1, 1, 4, 4});
  expected(0, 0, 2, 0) = 1.f + 3.f;
  expected(0, 0, 1, 2) = 2.f + 4.f;
  CHECK(tgtest::allclose(x.grad(), expected));
}

TEST_CASE("max_pool2d: padding is -infinity, never the maximum") {
  // Windows over the padded border: the top-right one sees only -2 and padding, the bottom-left only -1.
  auto y = tg::max_pool2d(grid4x4(), {2, 2}, {2, 2}, {1, 1});
  CHECK(tgtest::allclose(y.value(), Array<float>{{{{1.f, 5.f, -2.f}, {9.f, 8.f, 6.f}, {-1.f, 6.f, 5.f}}}}));
}

TEST_CASE("max_pool2d gradcheck: non-overlapping, overlapping, padded, non-square, batch and channels") {
  auto x = distinct_var({2, 3, 6, 5}, 1);
  CHECK_GRADCHECK([](const V& in) { return tg::max_pool2d(in[0], 2); }, {x});
  CHECK_GRADCHECK([](const V& in) { return tg::max_pool2d(in[0], 3, 1); }, {x});
  CHECK_GRADCHECK([](const V& in) { return tg::max_pool2d(in[0], {3, 2}, {2, 1}, {1, 1}); }, {x});
  CHECK_GRADCHECK([](const V& in) { return tg::max_pool2d(in[0], {2, 3}); }, {x});
  // Two pools of one input: the second backward adds into the gradient the first wrote.
  CHECK_GRADCHECK([](const V& in) { return tg::max_pool2d(in[0], 2) + tg::max_pool2d(in[0], {3, 3}, {2, 3}, {1, 1}); }, {x});
}

TEST_CASE("max_pool2d: bad input throws naming the op") {
  Variable<float> x(Array<float>::from_shape({1, 2, 4, 4}));
  CHECK_THROWS_WITH_AS(tg::max_pool2d(Variable<float>(Array<float>::from_shape({2, 4, 4})), 2),
                       "max_pool2d: expected input (N, C, H, W), got (2, 4, 4)", tg::Error);
  CHECK_THROWS_WITH_AS(tg::max_pool2d(x, 5), doctest::Contains("max_pool2d: kernel (5, 5) is larger than the padded input (4, 4)"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::max_pool2d(x, 2, 2, 2), "max_pool2d: padding (2, 2) must be at most half the kernel (2, 2)",
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::max_pool2d(x, {2, 2}, {1, 0}), "max_pool2d: stride (1, 0) must be positive", tg::Error);
}
