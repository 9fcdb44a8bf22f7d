#include <cstring>
#include <sstream>

#include "check.hpp"
#include "text_fixtures.hpp"

using doctest::Contains;
using tgtest::printed;
using tg::Array;
using tg::Variable;
using V = std::vector<Variable<double>>;
namespace F = tg::nn::functional;

namespace {

// The batch_norm of x by the naive formula, per channel over (N, *).
Array<double> naive_batch_norm(const Array<double>& x, const Array<double>& w, const Array<double>& b,
                               const Array<double>& mean, const Array<double>& var, double eps) {
  const std::size_t N = x.shape()[0], C = x.shape()[1], S = x.size() / (N * C);
  Array<double> y = Array<double>::from_shape(x.shape());
  for (std::size_t n = 0; n < N; ++n)
    for (std::size_t c = 0; c < C; ++c)
      for (std::size_t s = 0; s < S; ++s) {
        const std::size_t i = (n * C + c) * S + s;
        y.data()[i] = (x.data()[i] - mean(c)) / std::sqrt(var(c) + eps) * w(c) + b(c);
      }
  return y;
}

}  // namespace

TEST_CASE("batch_norm: training statistics by hand, all layouts (rows shorter and longer than a vector)") {
  for (const tg::Shape& shape : {tg::Shape{7, 3}, tg::Shape{5, 3, 4}, tg::Shape{3, 2, 5, 7}}) {
    auto x = tgtest::rand_var(shape, 1, -2, 3);
    auto w = tgtest::rand_var({shape[1]}, 2), b = tgtest::rand_var({shape[1]}, 3);
    Variable<double> rm(Array<double>(xt::linspace<double>(-0.5, 0.5, shape[1]))), rv(xt::ones<double>({shape[1]}));
    // The batch's statistics, by a plain loop.
    const std::size_t N = shape[0], C = shape[1], S = x.numel() / (N * C);
    Array<double> mean = xt::zeros<double>({C}), var = xt::zeros<double>({C});
    for (std::size_t i = 0; i < x.numel(); ++i) mean((i / S) % C) += x.value().data()[i] / double(N * S);
    for (std::size_t i = 0; i < x.numel(); ++i) {
      const double d = x.value().data()[i] - mean((i / S) % C);
      var((i / S) % C) += d * d / double(N * S);
    }
    const Array<double> rm0 = rm.value(), rv0 = rv.value();
    auto y = tg::batch_norm(x, w, b, rm, rv, true, 0.25, 1e-5);
    CHECK(tgtest::allclose(y.value(), naive_batch_norm(x.value(), w.value(), b.value(), mean, var, 1e-5), 1e-12, 1e-12));
    const double M = double(N * S);
    CHECK(tgtest::allclose(rm.value(), Array<double>(0.75 * rm0 + 0.25 * mean), 1e-12, 1e-12));
    CHECK(tgtest::allclose(rv.value(), Array<double>(0.75 * rv0 + 0.25 * var * M / (M - 1)), 1e-12, 1e-12));
    // Evaluation reads the running statistics and leaves them alone.
    const Array<double> rm1 = rm.value();
    auto e = tg::batch_norm(x, w, b, rm, rv, false);
    CHECK(tgtest::allclose(e.value(), naive_batch_norm(x.value(), w.value(), b.value(), rm.value(), rv.value(), 1e-5), 1e-12, 1e-12));
    CHECK(rm.value() == rm1);
  }
}

TEST_CASE("batch_norm: float64 gradcheck, training and evaluation, with and without affine") {
  for (const tg::Shape& shape : {tg::Shape{6, 3}, tg::Shape{4, 2, 3}, tg::Shape{2, 3, 3, 4}}) {
    auto x = tgtest::rand_var(shape, 4);
    auto w = tgtest::rand_var({shape[1]}, 5), b = tgtest::rand_var({shape[1]}, 6);
    Variable<double> rm(tgtest::rand_var({shape[1]}, 7, -1, 1, false)), rv(tgtest::rand_var({shape[1]}, 8, 0.5, 2, false));
    for (bool training : {true, false}) {
      CHECK_GRADCHECK([&](const V& in) { return tg::batch_norm(in[0], in[1], in[2], rm, rv, training); }, {x, w, b});
      CHECK_GRADCHECK([&](const V& in) { return tg::batch_norm(in[0], Variable<double>(), Variable<double>(), rm, rv, training); }, {x});
    }
    CHECK_GRADCHECK([&](const V& in) { return tg::batch_norm(in[0], in[1], Variable<double>(), Variable<double>(), Variable<double>(), true); }, {x, w});
  }
}

TEST_CASE("batch_norm: bad input is rejected naming the op and the shapes") {
  Variable<double> x(Array<double>::from_shape({4, 3, 2})), c3(xt::ones<double>({3})), c2(xt::ones<double>({2}));
  Variable<double> none;
  CHECK_THROWS_WITH_AS(tg::batch_norm(x, c2, c3, c3, c3, true), Contains("expected weight (3,) for input (4, 3, 2), got (2,)"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::batch_norm(x, c3, c3, none, none, false), Contains("needs running_mean and running_var"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::batch_norm(Variable<double>(Array<double>::from_shape({1, 3})), c3, c3, c3, c3, true),
                       Contains("expected more than 1 value per channel when training, got input size (1, 3)"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::batch_norm(Variable<double>(Array<double>::from_shape({3})), c3, c3, c3, c3, true),
                       Contains("expected input (N, C, *), got (3,)"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::nn::BatchNorm2dImpl(3).forward(Variable<float>(Array<float>::from_shape({4, 3}))),
                       Contains("BatchNorm2d: expected 4D input (got 2D input (4, 3))"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::nn::BatchNorm1dImpl(3).forward(Variable<float>(Array<float>::from_shape({4, 3, 2, 2}))),
                       Contains("BatchNorm1d: expected 2D or 3D input (got 4D input"), tg::Error);
}

TEST_CASE("batch_norm agrees with LibTorch: functional in float64 (outputs, gradients, running statistics)") {
  tgtest::TextFixture fx("batch_norm");
  for (const std::string name : {"train2", "train3", "train4", "eval4"}) {
    CAPTURE(name);
    Variable<double> x(fx.array<double>(name + ".x"), true), w(fx.array<double>(name + ".weight"), true),
        b(fx.array<double>(name + ".bias"), true);
    Variable<double> rm(fx.array<double>(name + ".running_mean")), rv(fx.array<double>(name + ".running_var"));
    auto y = F::batch_norm(x, rm, rv, F::BatchNormFuncOptions().weight(w).bias(b).training(name != "eval4").momentum(0.2));
    CHECK_AGREES(y.value(), fx.array<double>(name + ".y"));
    y.backward(fx.array<double>(name + ".gy"));
    CHECK_AGREES(x.grad(), fx.array<double>(name + ".grad.x"));
    CHECK_AGREES(w.grad(), fx.array<double>(name + ".grad.w"));
    CHECK_AGREES(b.grad(), fx.array<double>(name + ".grad.b"));
    CHECK_AGREES(rm.value(), fx.array<double>(name + ".running_mean_after"));
    CHECK_AGREES(rv.value(), fx.array<double>(name + ".running_var_after"));
  }
}

TEST_CASE("BatchNorm1d/2d agree with LibTorch in float32: momentum, cumulative average, no affine, eval") {
  tgtest::TextFixture fx("batch_norm");
  using tg::nn::BatchNorm2dOptions;
  const std::pair<std::string, BatchNorm2dOptions> cases[] = {
      {"module_momentum", BatchNorm2dOptions(3)},
      {"module_cumulative", BatchNorm2dOptions(3).momentum(std::nullopt)},
      {"module_plain", BatchNorm2dOptions(3).affine(false).track_running_stats(false)}};
  for (const auto& [name, options] : cases) {
    const std::string& case_name = name;  // clang: CAPTURE cannot capture a structured binding
    CAPTURE(case_name);
    tg::nn::BatchNorm2dImpl bn(options);
    for (int step = 0; step < 3; ++step) {
      const std::string s = std::to_string(step);
      CHECK_AGREES(bn.forward(Variable<float>(fx.array<float>(name + ".x" + s))).value<float>(), fx.array<float>(name + ".y" + s));
    }
    if (options.track_running_stats()) {
      CHECK_AGREES(bn.running_mean.value<float>(), fx.array<float>(name + ".running_mean"));
      CHECK_AGREES(bn.running_var.value<float>(), fx.array<float>(name + ".running_var"));
      CHECK(bn.num_batches_tracked.scalar_type() == tg::kLong);
      CHECK(bn.num_batches_tracked.value<std::int64_t>()() == fx.labels(name + ".num_batches_tracked")());
    }
    bn.eval();
    CHECK_AGREES(bn.forward(Variable<float>(fx.array<float>(name + ".x_eval"))).value<float>(), fx.array<float>(name + ".y_eval"));
  }
  tg::nn::BatchNorm1dImpl bn1(5);
  CHECK_AGREES(bn1.forward(Variable<float>(fx.array<float>("module1d.x"))).value<float>(), fx.array<float>("module1d.y"));
  CHECK_AGREES(bn1.running_var.value<float>(), fx.array<float>("module1d.running_var"));
}

TEST_CASE("BatchNorm2d: parameters, buffers, printing as LibTorch") {
  tg::nn::BatchNorm2dImpl bn(16);
  CHECK(bn.parameters().size() == 2);
  CHECK(bn.named_buffers().size() == 3);
  CHECK(bn.named_buffers()[2].first == "num_batches_tracked");
  CHECK(bn.weight.value<float>() == xt::ones<float>({16}));
  CHECK(printed(bn) == "BatchNorm2d(16, eps=1e-05, momentum=0.1, affine=true, track_running_stats=true)");
  tg::nn::BatchNorm1dImpl plain(tg::nn::BatchNorm1dOptions(4).momentum(std::nullopt).affine(false).track_running_stats(false));
  CHECK(plain.parameters().empty());
  CHECK(plain.buffers().empty());
  CHECK(printed(plain) == "BatchNorm1d(4, eps=1e-05, momentum=None, affine=false, track_running_stats=false)");
  // Without running statistics, evaluation still normalises with the batch's.
  plain.eval();
  auto y = plain.forward(Variable<float>(tg::randn<float>({8, 4}) * 3.f + 2.f));
  CHECK(std::abs(xt::mean(y.value<float>())()) < 1e-5);
}

TEST_CASE("BatchNorm2d: running statistics and the int64 batch count survive a checkpoint, numpy-readable") {
  tg::manual_seed(7);
  tg::nn::BatchNorm2dImpl bn(3), restored(3);
  bn.forward(Variable<float>(tg::randn<float>({4, 3, 2, 2})));
  bn.forward(Variable<float>(tg::randn<float>({4, 3, 2, 2})));
  const std::string path = "batch_norm_checkpoint_test.npz";
  tg::nn::save(bn, path);
  const auto entries = tg::npz::read(path);
  tg::nn::load(restored, path);
  std::remove(path.c_str());
  const tg::npz::NpyArray& count = entries.at("num_batches_tracked");
  CHECK(count.descr == "<i8");  // NumPy's int64, as LibTorch's buffer
  CHECK(count.shape.empty());
  std::int64_t saved = 0;
  REQUIRE(count.bytes.size() == sizeof(saved));
  std::memcpy(&saved, count.bytes.data(), sizeof(saved));
  CHECK(saved == 2);
  CHECK(restored.running_mean.value<float>() == bn.running_mean.value<float>());
  CHECK(restored.running_var.value<float>() == bn.running_var.value<float>());
  CHECK(restored.num_batches_tracked.scalar_type() == tg::kLong);
  CHECK(restored.num_batches_tracked.item<std::int64_t>() == 2);
}

TEST_CASE("BatchNorm2d: num_batches_tracked stays int64 through to(kDouble), counts past 2^24, and a float count is refused on load") {
  tg::nn::BatchNorm2d bn(2);
  bn->to(tg::kDouble);
  CHECK(bn->running_mean.scalar_type() == tg::kDouble);
  CHECK(bn->num_batches_tracked.scalar_type() == tg::kLong);
  // A float32 count would stop at 2^24 (2^24 + 1 is not a float); the int64 one keeps counting.
  bn->num_batches_tracked.fill_(std::int64_t(1) << 24);
  bn->forward(tg::randn({4, 2, 3, 3}, tg::kDouble));
  CHECK(bn->num_batches_tracked.item<std::int64_t>() == (std::int64_t(1) << 24) + 1);
  bn->reset_running_stats();
  CHECK(bn->num_batches_tracked.item<std::int64_t>() == 0);
  const std::string path = "batch_norm_float_count_test.npz";
  tg::nn::save(*bn, path);
  auto entries = tg::npz::read(path);
  entries.at("num_batches_tracked") = tg::npz::scalar(3.f);
  tg::npz::write(path, {entries.begin(), entries.end()});
  CHECK_THROWS_WITH_AS(tg::nn::load(*bn, path),
                       doctest::Contains("entry 'num_batches_tracked' has dtype '<f4', expected '<i8' (Long)"), tg::Error);
  std::remove(path.c_str());
}
