#include <sstream>

#include "check.hpp"
#include "text_fixtures.hpp"

using doctest::Contains;
using tg::Array;
using tg::Variable;
using V = std::vector<Variable<double>>;
namespace F = tg::nn::functional;

namespace {

// The definition: every input pixel scatters weight-scaled copies of the kernel into the output.
Array<double> naive_conv_transpose2d(const Array<double>& x, const Array<double>& w, std::array<std::size_t, 2> s,
                                     std::array<std::size_t, 2> p, std::array<std::size_t, 2> op) {
  const std::size_t N = x.shape()[0], Ci = x.shape()[1], H = x.shape()[2], W = x.shape()[3];
  const std::size_t Co = w.shape()[1], kh = w.shape()[2], kw = w.shape()[3];
  const std::size_t OH = (H - 1) * s[0] - 2 * p[0] + kh + op[0], OW = (W - 1) * s[1] - 2 * p[1] + kw + op[1];
  Array<double> y = xt::zeros<double>({N, Co, OH, OW});
  for (std::size_t n = 0; n < N; ++n)
    for (std::size_t ci = 0; ci < Ci; ++ci)
      for (std::size_t h = 0; h < H; ++h)
        for (std::size_t v = 0; v < W; ++v)
          for (std::size_t co = 0; co < Co; ++co)
            for (std::size_t i = 0; i < kh; ++i)
              for (std::size_t j = 0; j < kw; ++j) {
                const std::ptrdiff_t oh = std::ptrdiff_t(h * s[0] + i) - std::ptrdiff_t(p[0]);
                const std::ptrdiff_t ow = std::ptrdiff_t(v * s[1] + j) - std::ptrdiff_t(p[1]);
                if (oh < 0 || ow < 0 || oh >= std::ptrdiff_t(OH) || ow >= std::ptrdiff_t(OW)) continue;
                y(n, co, oh, ow) += x(n, ci, h, v) * w(ci, co, i, j);
              }
  return y;
}

}  // namespace

TEST_CASE("conv_transpose2d: against the scatter definition, channel counts on and off the vector width") {
  struct Case {
    tg::Shape x, w;
    std::array<std::size_t, 2> s, p, op;
  };
  for (const Case& c : {Case{{1, 1, 2, 2}, {1, 1, 2, 2}, {1, 1}, {0, 0}, {0, 0}},
                        Case{{2, 3, 4, 5}, {3, 2, 3, 3}, {2, 2}, {1, 1}, {1, 1}},
                        Case{{2, 9, 3, 4}, {9, 17, 3, 2}, {2, 3}, {1, 0}, {0, 2}},
                        Case{{1, 16, 3, 3}, {16, 8, 1, 1}, {1, 1}, {0, 0}, {0, 0}}}) {
    auto x = tgtest::rand_var(c.x, 1), w = tgtest::rand_var(c.w, 2);
    auto y = tg::conv_transpose2d(x, w, Variable<double>(), c.s, c.p, c.op);
    CHECK(tgtest::allclose(y.value(), naive_conv_transpose2d(x.value(), w.value(), c.s, c.p, c.op), 1e-12, 1e-12));
  }
}

TEST_CASE("conv_transpose2d: float64 gradcheck (input, weight, bias, strides, padding, output_padding)") {
  auto x = tgtest::rand_var({2, 3, 3, 4}, 3), w = tgtest::rand_var({3, 2, 3, 2}, 4), b = tgtest::rand_var({2}, 5);
  CHECK_GRADCHECK([](const V& in) { return tg::conv_transpose2d(in[0], in[1], in[2]); }, {x, w, b});
  CHECK_GRADCHECK([](const V& in) { return tg::conv_transpose2d(in[0], in[1], in[2], {2, 3}, {1, 0}, {1, 2}); }, {x, w, b});
  CHECK_GRADCHECK([](const V& in) { return tg::conv_transpose2d(in[0], in[1], Variable<double>(), {2, 2}, {1, 1}); }, {x, w});
  // Accumulation into existing gradients (the input's through a temporary, the weight's in place).
  CHECK_GRADCHECK([](const V& in) { return tg::conv_transpose2d(in[0], in[1], in[2]) * tg::conv_transpose2d(in[0], in[1], in[2]); },
                  {x, w, b});
}

TEST_CASE("conv_transpose2d: bad input is rejected naming the op and the shapes") {
  Variable<double> x(Array<double>::from_shape({1, 3, 4, 4})), w(Array<double>::from_shape({3, 2, 3, 3}));
  Variable<double> none;
  CHECK_THROWS_WITH_AS(tg::conv_transpose2d(x, Variable<double>(Array<double>::from_shape({2, 3, 3, 3})), none),
                       Contains("expected input (N, Cin, H, W) with Cin = 2 to match weight (2, 3, 3, 3), got (1, 3, 4, 4)"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::conv_transpose2d(x, w, none, {2, 2}, {0, 0}, {2, 0}),
                       Contains("output_padding (2, 0) must be smaller than the stride (2, 2)"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::conv_transpose2d(Variable<double>(Array<double>::from_shape({1, 3, 1, 1})), w, none, {1, 1}, {2, 2}),
                       Contains("gives an empty output"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::conv_transpose2d(x, w, Variable<double>(Array<double>::from_shape({3}))),
                       Contains("expected bias (2,) to match weight (3, 2, 3, 3), got (3,)"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::nn::ConvTranspose2dImpl(tg::nn::ConvTranspose2dOptions(2, 2, 3).groups(2)),
                       Contains("only groups 1 and dilation 1"), tg::Error);
}

TEST_CASE("conv_transpose2d agrees with LibTorch: float64 functional, float32 module") {
  tgtest::TextFixture fx("conv_transpose2d");
  using O = F::ConvTranspose2dFuncOptions;
  const std::pair<std::string, O> cases[] = {{"plain", O()},
                                             {"s2p1op1", O().stride(2).padding(1).output_padding(1)},
                                             {"s21p10_k23", O().stride({2, 1}).padding({1, 0})},
                                             {"wide", O().stride(2)}};
  for (auto [name, options] : cases) {
    const std::string& case_name = name;  // clang: CAPTURE cannot capture a structured binding
    CAPTURE(case_name);
    Variable<double> x(fx.array<double>(name + ".x"), true), w(fx.array<double>(name + ".weight"), true),
        b(fx.array<double>(name + ".bias"), true);
    auto y = F::conv_transpose2d(x, w, options.bias(b));
    CHECK_AGREES(y.value(), fx.array<double>(name + ".y"));
    y.backward(fx.array<double>(name + ".gy"));
    CHECK_AGREES(x.grad(), fx.array<double>(name + ".grad.x"));
    CHECK_AGREES(w.grad(), fx.array<double>(name + ".grad.w"));
    CHECK_AGREES(b.grad(), fx.array<double>(name + ".grad.b"));
  }
  tg::nn::ConvTranspose2dImpl up(tg::nn::ConvTranspose2dOptions(4, 2, 3).stride(2).padding(1).output_padding(1));
  up.weight.value<float>() = fx.array<float>("module.weight");
  up.bias.value<float>() = fx.array<float>("module.bias");
  CHECK_AGREES(up.forward(Variable<float>(fx.array<float>("module.x"))).value<float>(), fx.array<float>("module.y"));
}

TEST_CASE("ConvTranspose2d: LibTorch's weight layout, init (fan_in from dim 1) and printing") {
  tg::manual_seed(4);
  tg::nn::ConvTranspose2dImpl up(tg::nn::ConvTranspose2dOptions(16, 8, 3).stride(2).padding(1).output_padding(1));
  CHECK(up.weight.shape() == tg::Shape{16, 8, 3, 3});
  const double bound = 1.0 / std::sqrt(8.0 * 9.0);
  CHECK(xt::amax(xt::abs(up.weight.value<float>()))() <= bound);
  CHECK(xt::amax(xt::abs(up.weight.value<float>()))() > 0.95 * bound);
  CHECK(up.forward(Variable<float>(Array<float>::from_shape({2, 16, 7, 7}))).shape() == tg::Shape{2, 8, 14, 14});
  std::ostringstream out;
  out << up << "|" << tg::nn::ConvTranspose2dImpl(tg::nn::ConvTranspose2dOptions(2, 3, {1, 2}).bias(false));
  CHECK(out.str() == "ConvTranspose2d(16, 8, kernel_size=[3, 3], stride=[2, 2], padding=[1, 1], output_padding=[1, 1])|"
                     "ConvTranspose2d(2, 3, kernel_size=[1, 2], stride=[1, 1], bias=false)");
}
