// conv1d, max_pool1d and avg_pool1d (the 2-D ops on a height of 1) and their modules: against the
// definitions, float64 gradchecks, LibTorch's values, shapes, printing and errors.
#include <cmath>
#include <functional>
#include <limits>
#include <sstream>
#include <utility>

#include "check.hpp"
#include "text_fixtures.hpp"

using tg::Array;
using tg::Tensor;
using tgtest::contains;
using tgtest::error_of;
using TV = std::vector<Tensor>;
namespace F = tg::nn::functional;

namespace {

// y[n][o][t] = b[o] + sum over c, j of w[o][c][j] · x[n][c][t·s + j - p] (zero outside x).
Array<double> naive_conv1d(const Array<double>& x, const Array<double>& w, const Array<double>& b, std::size_t s,
                           std::size_t p) {
  const std::size_t N = x.shape()[0], C = x.shape()[1], L = x.shape()[2], O = w.shape()[0], k = w.shape()[2];
  const std::size_t OL = (L + 2 * p - k) / s + 1;
  Array<double> y = xt::zeros<double>({N, O, OL});
  for (std::size_t n = 0; n < N; ++n)
    for (std::size_t o = 0; o < O; ++o)
      for (std::size_t t = 0; t < OL; ++t) {
        double sum = b(o);
        for (std::size_t c = 0; c < C; ++c)
          for (std::size_t j = 0; j < k; ++j) {
            const std::ptrdiff_t i = std::ptrdiff_t(t * s + j) - std::ptrdiff_t(p);
            if (i >= 0 && i < std::ptrdiff_t(L)) sum += w(o, c, j) * x(n, c, std::size_t(i));
          }
        y(n, o, t) = sum;
      }
  return y;
}

// Max (or mean over the window, padding counted) of windows of k at stride s, padding p.
Array<double> naive_pool1d(const Array<double>& x, std::size_t k, std::size_t s, std::size_t p, bool max) {
  const std::size_t N = x.shape()[0], C = x.shape()[1], L = x.shape()[2], OL = (L + 2 * p - k) / s + 1;
  Array<double> y = xt::zeros<double>({N, C, OL});
  for (std::size_t n = 0; n < N; ++n)
    for (std::size_t c = 0; c < C; ++c)
      for (std::size_t t = 0; t < OL; ++t) {
        double best = -std::numeric_limits<double>::infinity(), sum = 0;
        for (std::size_t j = 0; j < k; ++j) {
          const std::ptrdiff_t i = std::ptrdiff_t(t * s + j) - std::ptrdiff_t(p);
          if (i < 0 || i >= std::ptrdiff_t(L)) continue;
          best = std::max(best, x(n, c, std::size_t(i)));
          sum += x(n, c, std::size_t(i));
        }
        y(n, c, t) = max ? best : sum / double(k);
      }
  return y;
}

Tensor rand_t(const tg::Shape& shape, unsigned seed) { return tgtest::rand_var(shape, seed, -1, 1); }

}  // namespace

TEST_CASE("conv1d, max_pool1d and avg_pool1d against their definitions, batched and unbatched") {
  const Tensor x = rand_t({2, 3, 10}, 1), w = rand_t({4, 3, 3}, 2), b = rand_t({4}, 3);
  for (const auto& stride_padding : {std::pair<std::size_t, std::size_t>{1, 0}, {2, 1}, {3, 2}}) {
    const std::size_t s = stride_padding.first, p = stride_padding.second;  // clang: CAPTURE takes no structured binding
    CAPTURE(s);
    CAPTURE(p);
    const Tensor y = tg::conv1d(x, w, b, std::int64_t(s), std::int64_t(p));
    CHECK(tgtest::allclose(y.value<double>(), naive_conv1d(x.value<double>(), w.value<double>(), b.value<double>(), s, p),
                           1e-12, 1e-12));
    CHECK(tgtest::allclose(tg::max_pool1d(x, 3, std::int64_t(s), std::int64_t(p % 2)).value<double>(),
                           naive_pool1d(x.value<double>(), 3, s, p % 2, true)));
    CHECK(tgtest::allclose(tg::avg_pool1d(x, 3, std::int64_t(s), std::int64_t(p % 2)).value<double>(),
                           naive_pool1d(x.value<double>(), 3, s, p % 2, false), 1e-12, 1e-12));
  }
  // (C, L) without a batch: the batched result's first row.
  CHECK(tg::conv1d(x[0], w, b).value<double>() == tg::conv1d(x, w, b)[0].value<double>());
  CHECK(tg::max_pool1d(x[1], 2).value<double>() == tg::max_pool1d(x, 2)[1].value<double>());
  CHECK(tg::avg_pool1d(x[1], {2}, {1}).sizes() == tg::IntArrayRef{3, 9});
  CHECK(tg::conv1d(x, w).sizes() == tg::IntArrayRef{2, 4, 8});  // no bias
}

TEST_CASE("conv1d and the 1-D pools: float64 gradchecks through Tensor-level code") {
  auto check = [](const tg::autograd::TensorGradcheckFn& fn, const TV& in) {
    const auto r = tg::autograd::gradcheck(fn, in);
    CHECK_MESSAGE(r.ok, r.message);
  };
  const Tensor x = rand_t({2, 3, 9}, 4), w = rand_t({2, 3, 4}, 5), b = rand_t({2}, 6);
  check([](const TV& in) { return tg::conv1d(in[0], in[1], in[2]); }, {x, w, b});
  check([](const TV& in) { return tg::conv1d(in[0], in[1], in[2], 2, 1); }, {x, w, b});
  check([](const TV& in) { return tg::conv1d(in[0][1], in[1], Tensor(), 3, 2); }, {x, w});
  check([](const TV& in) { return tg::max_pool1d(in[0], 3, 2, 1); }, {x});
  check([](const TV& in) { return tg::avg_pool1d(in[0], 3, 2, 1, true, false) + 0.0; }, {x});
}

TEST_CASE("conv1d and the 1-D pools agree with LibTorch: float64 functional, float32 module") {
  tgtest::TextFixture fx("conv_pool1d");
  const std::pair<std::string, std::pair<std::int64_t, std::int64_t>> cases[] = {
      {"plain", {1, 0}}, {"s2p1", {2, 1}}, {"unbatched", {3, 0}}, {"wide", {1, 2}}};
  for (const auto& [name, sp] : cases) {
    const std::string& case_name = name;  // clang: CAPTURE cannot capture a structured binding
    CAPTURE(case_name);
    Tensor x(fx.array<double>(name + ".x"), true), w(fx.array<double>(name + ".weight"), true),
        b(fx.array<double>(name + ".bias"), true);
    const Tensor y = F::conv1d(x, w, b, sp.first, sp.second);
    CHECK_AGREES(y.value<double>(), fx.array<double>(name + ".y"));
    y.backward(Tensor(fx.array<double>(name + ".gy")));
    CHECK_AGREES(x.grad().value<double>(), fx.array<double>(name + ".grad.x"));
    CHECK_AGREES(w.grad().value<double>(), fx.array<double>(name + ".grad.w"));
    CHECK_AGREES(b.grad().value<double>(), fx.array<double>(name + ".grad.b"));
  }
  const std::pair<std::string, std::function<Tensor(const Tensor&)>> pools[] = {
      {"max_k3s2p1", [](const Tensor& x) { return F::max_pool1d(x, 3, 2, 1); }},
      {"max_k2", [](const Tensor& x) { return F::max_pool1d(x, 2); }},
      {"avg_k3s2p1", [](const Tensor& x) { return F::avg_pool1d(x, 3, 2, 1); }},
      {"avg_k3s2p1_ceil_nopad", [](const Tensor& x) { return F::avg_pool1d(x, 3, 2, 1, true, false); }}};
  for (const auto& [name, pool] : pools) {
    const std::string& case_name = name;
    CAPTURE(case_name);
    Tensor x(fx.array<double>("pool.x"), true);
    const Tensor y = pool(x);
    CHECK_AGREES(y.value<double>(), fx.array<double>(name + ".y"));
    y.backward(Tensor(fx.array<double>(name + ".gy")));
    CHECK_AGREES(x.grad().value<double>(), fx.array<double>(name + ".grad.x"));
  }
  tg::nn::Conv1dImpl conv(tg::nn::Conv1dOptions(4, 2, 3).stride(2).padding(1));
  conv.weight.value<float>() = fx.array<float>("module.weight");
  conv.bias.value<float>() = fx.array<float>("module.bias");
  CHECK_AGREES(conv.forward(Tensor(fx.array<float>("module.x"))).value<float>(), fx.array<float>("module.y"));
}

TEST_CASE("Conv1d, MaxPool1d, AvgPool1d: LibTorch's weight layout, init, shapes and printing") {
  tg::manual_seed(4);
  tg::nn::Conv1d conv(tg::nn::Conv1dOptions(16, 8, 3).padding(1));
  CHECK(conv->weight.sizes() == tg::IntArrayRef{8, 16, 3});
  const double bound = 1.0 / std::sqrt(16.0 * 3.0);
  CHECK(conv->weight.abs().max().item<double>() <= bound);
  CHECK(conv->weight.abs().max().item<double>() > 0.95 * bound);
  CHECK(conv->bias.abs().max().item<double>() <= bound);
  CHECK(conv(tg::zeros({2, 16, 20})).sizes() == tg::IntArrayRef{2, 8, 20});
  CHECK(tg::nn::MaxPool1d(tg::nn::MaxPool1dOptions(3).stride(1))(tg::zeros({2, 8, 20})).sizes() == tg::IntArrayRef{2, 8, 18});
  CHECK(tg::nn::AvgPool1d(2)(tg::zeros({8, 20})).sizes() == tg::IntArrayRef{8, 10});
  std::ostringstream out;
  out << *conv << "|" << tg::nn::Conv1dImpl(tg::nn::Conv1dOptions(2, 3, 5).stride(2).bias(false)) << "|"
      << tg::nn::MaxPool1dImpl(2) << "|" << tg::nn::AvgPool1dImpl(tg::nn::AvgPool1dOptions(3).stride(2).padding(1));
  CHECK(out.str() == "Conv1d(16, 8, kernel_size=[3], stride=[1], padding=[1])|"
                     "Conv1d(2, 3, kernel_size=[5], stride=[2], bias=false)|"
                     "MaxPool1d(kernel_size=[2], stride=[2], padding=[0])|"
                     "AvgPool1d(kernel_size=[3], stride=[2], padding=[1])");
}

TEST_CASE("conv1d and the 1-D pools name bad input in 1-D terms") {
  const Tensor x = tg::zeros({2, 3, 5}), w = tg::zeros({4, 3, 3});
  CHECK(contains(error_of([&] { (void)tg::conv1d(tg::zeros({2, 3, 5, 1}), w); }),
                 "conv1d: expected input (N, C, L) or (C, L), got (2, 3, 5, 1)"));
  CHECK(contains(error_of([&] { (void)tg::conv1d(x, tg::zeros({4, 3, 3, 1})); }),
                 "conv1d: expected weight (out_channels, in_channels, kernel), got (4, 3, 3, 1)"));
  CHECK(contains(error_of([&] { (void)tg::conv1d(x, tg::zeros({4, 2, 3})); }),
                 "conv1d: input (2, 3, 5) has 3 channels, weight (4, 2, 3) expects 2"));
  CHECK(contains(error_of([&] { (void)tg::conv1d(x, tg::zeros({4, 3, 8})); }),
                 "conv1d: input (2, 3, 5) with padding 0 is shorter than the kernel (8)"));
  CHECK(contains(error_of([&] { (void)tg::conv1d(x, w, {}, 0); }), "conv1d: expected stride >= 1, got 0"));
  CHECK(contains(error_of([&] { (void)tg::conv1d(x, w, {}, {1, 1}); }), "conv1d: expected stride as one number, got 2"));
  CHECK(contains(error_of([&] { (void)tg::max_pool1d(x, 2, 2, 2); }),
                 "max_pool1d: expected padding at most half the kernel size, got padding 2 for kernel 2"));
  CHECK(contains(error_of([&] { (void)tg::avg_pool1d(x, 0); }), "avg_pool1d: expected kernel_size >= 1, got 0"));
  CHECK(contains(error_of([&] { (void)tg::max_pool1d(Tensor(), 2); }), "max_pool1d: the tensor is undefined"));
}
