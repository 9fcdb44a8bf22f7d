#include <tapegrad/reference/im2col.hpp>

#include "check.hpp"

using tg::Array;
using tg::Variable;
using tgtest::rand_var;
using V = std::vector<Variable<double>>;

namespace {

// The 1x1x3x3 image 1..9 and the 2x2 kernel [[1, 2], [3, 4]] that the hand-worked cases use.
Variable<float> image3x3(bool requires_grad = false) {
  return Variable<float>(Array<float>{{{{1.f, 2.f, 3.f}, {4.f, 5.f, 6.f}, {7.f, 8.f, 9.f}}}}, requires_grad);
}
Variable<float> kernel2x2(bool requires_grad = false) {
  return Variable<float>(Array<float>{{{{1.f, 2.f}, {3.f, 4.f}}}}, requires_grad);
}

}  // namespace

TEST_CASE("im2col: the patches of a 3x3 image under a 2x2 kernel, and col2im adds them back") {
  const tg::kernels::Conv2dGeometry g = tg::kernels::conv2d_geometry("test", 1, 3, 3, {2, 2}, {1, 1}, {0, 0});
  CHECK(g.out_h == 2);
  CHECK(g.out_w == 2);
  const float image[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  float cols[16];
  tg::manual::im2col(image, g, cols);
  // One row per kernel tap (0,0), (0,1), (1,0), (1,1); one column per output position.
  const float expected[16] = {1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9};
  for (int k = 0; k < 16; ++k) CHECK(cols[k] == expected[k]);
  // Each pixel is added once per window it lies in: the centre is in all four.
  float back[9] = {100, 0, 0, 0, 0, 0, 0, 0, 0};
  tg::manual::col2im(cols, g, back);
  const float counts[9] = {1, 2, 1, 2, 4, 2, 1, 2, 1};
  CHECK(back[0] == 100 + 1);
  for (int k = 1; k < 9; ++k) CHECK(back[k] == image[k] * counts[k]);
}

TEST_CASE("col2im is the transpose of im2col: <im2col(x), c> = <x, col2im(c)>, with stride and padding") {
  for (auto [kernel, stride, padding] : std::vector<std::array<std::array<std::size_t, 2>, 3>>{
           {{{3, 3}, {1, 1}, {1, 1}}}, {{{2, 3}, {2, 1}, {0, 2}}}, {{{5, 5}, {2, 2}, {2, 2}}}, {{{1, 1}, {3, 2}, {3, 0}}}}) {
    const tg::kernels::Conv2dGeometry g = tg::kernels::conv2d_geometry("test", 2, 6, 5, kernel, stride, padding);
    const Array<double> x = rand_var({g.image_size()}, 1).value();
    const Array<double> c = rand_var({g.patch_size() * g.out_size()}, 2).value();
    Array<double> cols = xt::zeros<double>({g.patch_size() * g.out_size()});
    Array<double> back = xt::zeros<double>({g.image_size()});
    tg::manual::im2col(x.data(), g, cols.data());
    tg::manual::col2im(c.data(), g, back.data());
    CHECK(xt::sum(cols * c)() == doctest::Approx(xt::sum(x * back)()).epsilon(1e-12));
  }
}

TEST_CASE("conv2d: a 3x3 image and a 2x2 kernel, by hand") {
  auto x = image3x3(true), w = kernel2x2(true);
  Variable<float> b(Array<float>{0.5f}, true);
  auto y = tg::conv2d(x, w, b);
  CHECK(y.shape() == tg::Shape{1, 1, 2, 2});
  CHECK(tgtest::allclose(y.value(), Array<float>{{{{37.5f, 47.5f}, {67.5f, 77.5f}}}}));
  y.backward(Array<float>(xt::ones<float>({1, 1, 2, 2})));
  // dW[i, j] sums the pixels tap (i, j) saw; dX[p] sums the taps that saw pixel p.
  CHECK(tgtest::allclose(w.grad(), Array<float>{{{{12.f, 16.f}, {24.f, 28.f}}}}));
  CHECK(tgtest::allclose(x.grad(), Array<float>{{{{1.f, 3.f, 2.f}, {4.f, 10.f, 6.f}, {3.f, 7.f, 4.f}}}}));
  CHECK(tgtest::allclose(b.grad(), Array<float>{4.f}));
}

TEST_CASE("conv2d: padding 1, then padding 1 with stride 2, by hand, without bias") {
  auto y = tg::conv2d(image3x3(), kernel2x2(), Variable<float>(), 1, 1);
  CHECK(tgtest::allclose(y.value(), Array<float>{{{{4.f, 11.f, 18.f, 9.f},
                                                     {18.f, 37.f, 47.f, 21.f},
                                                     {36.f, 67.f, 77.f, 33.f},
                                                     {14.f, 23.f, 26.f, 9.f}}}}));
  auto s = tg::conv2d(image3x3(), kernel2x2(), Variable<float>(), {2, 2}, {1, 1});
  CHECK(tgtest::allclose(s.value(), Array<float>{{{{4.f, 18.f}, {36.f, 77.f}}}}));
}

TEST_CASE("conv2d gradcheck: stride, padding, non-square kernels and inputs, channels, batch, no bias") {
  struct Case {
    tg::Shape x, w;
    std::array<std::size_t, 2> stride, padding;
  };
  for (const Case& c : std::vector<Case>{
           {{1, 1, 4, 4}, {1, 1, 3, 3}, {1, 1}, {0, 0}},
           {{2, 2, 5, 5}, {3, 2, 3, 3}, {2, 2}, {1, 1}},
           {{2, 3, 4, 5}, {2, 3, 2, 3}, {1, 1}, {2, 2}},
           {{1, 2, 6, 5}, {2, 2, 2, 3}, {2, 1}, {0, 1}},
           {{2, 2, 3, 4}, {3, 2, 1, 1}, {1, 1}, {0, 0}},   // 1x1 kernel
           {{1, 9, 4, 4}, {10, 9, 3, 3}, {1, 1}, {1, 1}},  // channels past one tile block (8 doubles)
           {{1, 1, 5, 4}, {2, 1, 5, 3}, {3, 2}, {2, 0}}}) {
    CAPTURE(tg::shape_str(c.x));
    CAPTURE(tg::shape_str(c.w));
    CAPTURE(tg::shape_str(c.stride));
    CAPTURE(tg::shape_str(c.padding));
    auto x = rand_var(c.x, 1), w = rand_var(c.w, 2), b = rand_var({c.w[0]}, 3);
    const auto stride = c.stride, padding = c.padding;
    CHECK_GRADCHECK([=](const V& in) { return tg::conv2d(in[0], in[1], in[2], stride, padding); }, {x, w, b});
    CHECK_GRADCHECK([=](const V& in) { return tg::conv2d(in[0], in[1], Variable<double>(), stride, padding); },
                    {x, w});
  }
}

TEST_CASE("conv2d gradcheck: gradients accumulate onto existing ones, and a frozen weight or input") {
  auto x = rand_var({2, 2, 4, 4}, 4), w = rand_var({3, 2, 3, 3}, 5), b = rand_var({3}, 6);
  // Two convolutions of the same leaves: the second backward adds into the buffers the first wrote.
  CHECK_GRADCHECK([](const V& in) { return tg::conv2d(in[0], in[1], in[2], 1, 1) + tg::conv2d(in[0], in[1], in[2], 1, 1); },
                  {x, w, b});
  auto frozen_w = rand_var({3, 2, 3, 3}, 5, -1.0, 1.0, false);
  CHECK_GRADCHECK([](const V& in) { return tg::conv2d(in[0], in[1], in[2], 2, 1); }, {x, frozen_w, b});
  auto frozen_x = rand_var({2, 2, 4, 4}, 4, -1.0, 1.0, false);
  CHECK_GRADCHECK([](const V& in) { return tg::conv2d(in[0], in[1], in[2], 2, 1); }, {frozen_x, w, b});
}

TEST_CASE("conv2d: bad input throws naming the op") {
  Variable<float> x(Array<float>::from_shape({2, 3, 5, 5})), w(Array<float>::from_shape({4, 3, 3, 3}));
  Variable<float> none;
  CHECK_THROWS_WITH_AS(tg::conv2d(Variable<float>(Array<float>::from_shape({3, 5, 5})), w, none),
                       "conv2d: expected input (N, C, H, W), got (3, 5, 5)", tg::Error);
  CHECK_THROWS_WITH_AS(tg::conv2d(x, Variable<float>(Array<float>::from_shape({4, 3, 3})), none),
                       "conv2d: expected weight (O, C, kh, kw), got (4, 3, 3)", tg::Error);
  CHECK_THROWS_WITH_AS(tg::conv2d(Variable<float>(Array<float>::from_shape({2, 4, 5, 5})), w, none),
                       "conv2d: expected input (N, C, H, W) with C = 3 to match weight (4, 3, 3, 3), got (2, 4, 5, 5)",
                       tg::Error);
  CHECK_THROWS_WITH_AS(tg::conv2d(x, Variable<float>(Array<float>::from_shape({4, 3, 6, 3})), none),
                       doctest::Contains("conv2d: kernel (6, 3) is larger than the padded input (5, 5)"), tg::Error);
  CHECK_NOTHROW(tg::conv2d(x, Variable<float>(Array<float>::from_shape({4, 3, 6, 3})), none, 1, 1));
  CHECK_THROWS_WITH_AS(tg::conv2d(x, w, Variable<float>(Array<float>::from_shape({3}))),
                       "conv2d: expected bias (4,) to match weight (4, 3, 3, 3), got (3,)", tg::Error);
  CHECK_THROWS_WITH_AS(tg::conv2d(x, w, none, {0, 1}), "conv2d: stride (0, 1) must be positive", tg::Error);
}

TEST_CASE("conv2d: an empty batch gives an empty output, and zero weight and bias gradients") {
  Variable<float> x(Array<float>::from_shape({0, 3, 5, 5}), true);
  Variable<float> w(Array<float>(xt::ones<float>({4, 3, 3, 3})), true), b(Array<float>(xt::ones<float>({4})), true);
  const Variable<float> y = tg::conv2d(x, w, b, 2, 1);
  CHECK(y.shape() == tg::Shape{0, 4, 3, 3});
  tg::sum(y).backward();
  CHECK(x.grad().shape() == tg::Shape{0, 3, 5, 5});
  CHECK(xt::amax(xt::abs(w.grad()))() == 0.f);
  CHECK(xt::amax(xt::abs(b.grad()))() == 0.f);
}
