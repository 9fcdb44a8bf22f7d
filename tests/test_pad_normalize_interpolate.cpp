// F::pad, F::normalize, F::interpolate and F::one_hot on tensors: LibTorch's values and gradients,
// float64 gradchecks, the enum tags they take, and their errors.
#include <functional>
#include <sstream>
#include <string>
#include <utility>

#include "check.hpp"
#include "text_fixtures.hpp"

using tg::Tensor;
using tgtest::contains;
using tgtest::error_of;
using TV = std::vector<Tensor>;
namespace F = tg::nn::functional;

namespace {

using TensorFn = std::function<Tensor(const Tensor&)>;

// fn(x) against the fixture's <name>.y, and its gradient for <name>.gy against <name>.grad.<input>.
void check_against_libtorch(const tgtest::TextFixture& fx, const std::string& name, const std::string& input,
                            const TensorFn& fn) {
  CAPTURE(name);
  Tensor x(fx.array<double>(input), true);
  const Tensor y = fn(x);
  CHECK_AGREES(y.value<double>(), fx.array<double>(name + ".y"));
  y.backward(Tensor(fx.array<double>(name + ".gy")));
  CHECK_AGREES(x.grad().value<double>(), fx.array<double>(name + ".grad." + input));
}

void check_gradient(const TensorFn& fn, const Tensor& x) {
  const auto r = tg::autograd::gradcheck([&](const TV& in) { return fn(in[0]); }, {x});
  CHECK_MESSAGE(r.ok, r.message);
}

}  // namespace

TEST_CASE("F::pad agrees with LibTorch in every mode, crops included, and gradchecks") {
  const tgtest::TextFixture fx("pad_normalize_interpolate");
  const std::pair<std::string, TensorFn> cases[] = {
      {"pad_constant", [](const Tensor& x) { return F::pad(x, F::PadFuncOptions({1, 2}).value(0.5)); }},
      {"pad_constant_crop", [](const Tensor& x) { return F::pad(x, F::PadFuncOptions({-1, 2, 1, -2})); }},
      {"pad_reflect", [](const Tensor& x) { return F::pad(x, F::PadFuncOptions({2, 1, 3, 0}).mode(tg::kReflect)); }},
      {"pad_replicate",
       [](const Tensor& x) { return F::pad(x, F::PadFuncOptions({1, 3, 2, 2}).mode(tg::kReplicate)); }},
      {"pad_circular", [](const Tensor& x) { return F::pad(x, F::PadFuncOptions({5, 2, 1, 4}).mode(tg::kCircular)); }}};
  const Tensor small = tgtest::rand_var({2, 5, 6}, 7, -1, 1);
  for (const auto& [name, fn] : cases) {
    check_against_libtorch(fx, name, "x", fn);
    check_gradient(fn, small);
  }
  // Float stays Float, a Long tensor pads too, and nothing to pad still gives a new tensor.
  const Tensor f = tg::ones({2, 2});
  CHECK(F::pad(f, F::PadFuncOptions({1, 1})).scalar_type() == tg::kFloat);
  CHECK(F::pad(tg::arange(3), F::PadFuncOptions({1, 0}).mode(tg::kReplicate)).sizes() == tg::IntArrayRef{4});
  const Tensor same = F::pad(f, F::PadFuncOptions({0, 0}));
  same.data_ptr<float>()[0] = 5;
  CHECK(f.data_ptr<float>()[0] == 1);
}

TEST_CASE("F::pad refuses padding it cannot do, naming the sizes") {
  const Tensor x = tg::zeros({2, 3});
  CHECK(contains(error_of([&] { F::pad(x, F::PadFuncOptions({1})); }), "pad: expected (before, after) pairs"));
  CHECK(contains(error_of([&] { F::pad(x, F::PadFuncOptions({1, 1, 1, 1, 1, 1})); }), "input shape (2, 3)"));
  CHECK(contains(error_of([&] { F::pad(x, F::PadFuncOptions({3, 0}).mode(tg::kReflect)); }),
                 "kReflect's padding (3, 0) must be below the dim's size for dim 1 of size 3"));
  CHECK(contains(error_of([&] { F::pad(x, F::PadFuncOptions({0, 4}).mode(tg::kCircular)); }), "more than once"));
  CHECK(contains(error_of([&] { F::pad(x, F::PadFuncOptions({-1, 0}).mode(tg::kReplicate)); }),
                 "kReplicate takes no negative padding"));
  CHECK(contains(error_of([&] { F::pad(x, F::PadFuncOptions({-2, -2})); }), "crops of 2 and 2 exceed dim 1 of size 3"));
}

TEST_CASE("F::normalize agrees with LibTorch, keeps zero vectors at zero and gradchecks") {
  const tgtest::TextFixture fx("pad_normalize_interpolate");
  check_against_libtorch(fx, "normalize_p2_dim1", "x", [](const Tensor& x) { return F::normalize(x); });
  check_against_libtorch(fx, "normalize_p1_dim-1", "x",
                         [](const Tensor& x) { return F::normalize(x, F::NormalizeFuncOptions().p(1).dim(-1)); });
  check_gradient([](const Tensor& x) { return F::normalize(x, F::NormalizeFuncOptions().p(3).dim(0)); },
                 tgtest::rand_var({3, 4}, 8, -1, 1));
  Tensor zero = tg::zeros({2, 3}, tg::TensorOptions().requires_grad(true));
  const Tensor y = F::normalize(zero);
  CHECK(y.abs().sum().item<double>() == 0);
  y.sum().backward();
  CHECK(zero.grad().isnan().any().item<bool>() == false);
  CHECK(contains(error_of([] { F::normalize(tg::zeros({2, 3}), F::NormalizeFuncOptions().dim(2)); }), "normalize: "));
}

TEST_CASE("F::interpolate agrees with LibTorch for nearest, linear and bilinear, in float32 too, and gradchecks") {
  const tgtest::TextFixture fx("pad_normalize_interpolate");
  using Sizes = std::vector<std::int64_t>;
  using Factors = std::vector<double>;
  const std::pair<std::string, F::InterpolateFuncOptions> cases[] = {
      {"interpolate_nearest_size", F::InterpolateFuncOptions().size(Sizes{7, 3})},
      {"interpolate_nearest_x2", F::InterpolateFuncOptions().scale_factor(Factors{2, 2}).mode(tg::kNearest)},
      {"interpolate_nearest_x1p7", F::InterpolateFuncOptions().scale_factor(Factors{1.7, 0.6})},
      {"interpolate_bilinear_size",
       F::InterpolateFuncOptions().size(Sizes{7, 3}).mode(tg::kBilinear).align_corners(false)},
      {"interpolate_bilinear_size_corners",
       F::InterpolateFuncOptions().size(Sizes{7, 3}).mode(tg::kBilinear).align_corners(true)},
      {"interpolate_bilinear_x1p5", F::InterpolateFuncOptions().scale_factor(Factors{1.5, 2.5}).mode(tg::kBilinear)}};
  const Tensor small = tgtest::rand_var({1, 2, 3, 4}, 9, -1, 1);
  for (const auto& [name, options] : cases) {
    const F::InterpolateFuncOptions& o = options;  // clang: a lambda cannot capture a structured binding
    check_against_libtorch(fx, name, "x", [&](const Tensor& x) { return F::interpolate(x, o); });
    const Tensor y32 = F::interpolate(Tensor(fx.array<double>("x")).to(tg::kFloat), o);
    CHECK_AGREES(y32.value<float>(), fx.array<float>(name + ".y32"));
    check_gradient([&](const Tensor& x) { return F::interpolate(x, o); }, small);
  }
  check_against_libtorch(fx, "interpolate_linear_size", "line", [](const Tensor& x) {
    return F::interpolate(x, F::InterpolateFuncOptions().size(Sizes{10}).mode(tg::kLinear));
  });
  check_against_libtorch(fx, "interpolate_nearest_line", "line",
                         [](const Tensor& x) { return F::interpolate(x, F::InterpolateFuncOptions().size(Sizes{4})); });
}

TEST_CASE("F::interpolate refuses what it cannot do, naming the shape and mode") {
  const Tensor x = tg::zeros({1, 1, 2, 2});
  using Sizes = std::vector<std::int64_t>;
  CHECK(contains(error_of([&] { F::interpolate(x, F::InterpolateFuncOptions().size(Sizes{4}).mode(tg::kLinear)); }),
                 "expected a 3-D (N, C, L) input (input shape (1, 1, 2, 2), mode kLinear)"));
  CHECK(contains(error_of([&] { F::interpolate(x); }), "give exactly one of size and scale_factor"));
  CHECK(contains(error_of([&] { F::interpolate(x, F::InterpolateFuncOptions().size(Sizes{4})); }),
                 "expected 2 output sizes or scale factors"));
  CHECK(contains(error_of([&] { F::interpolate(x, F::InterpolateFuncOptions().size(Sizes{4, 4}).align_corners(true)); }),
                 "align_corners can only be set with kLinear or kBilinear"));
  CHECK(contains(error_of([&] {
                   F::interpolate(x, F::InterpolateFuncOptions().scale_factor(std::vector<double>{0.1, 1}));
                 }),
                 "input and output sizes must be positive, got 2 -> 0"));
  CHECK(contains(error_of([&] { F::interpolate(tg::zeros({2, 2}), F::InterpolateFuncOptions().size(Sizes{4})); }),
                 "(N, C, H, W)"));
}

TEST_CASE("F::one_hot takes and gives Long tensors, and the enum tags name themselves") {
  const Tensor y = F::one_hot(tg::tensor({2, 0}), 3);
  CHECK(y.scalar_type() == tg::kLong);
  CHECK(y.sizes() == tg::IntArrayRef{2, 3});
  CHECK(y.sum(1).eq(1).all().item<bool>());
  CHECK(y[0][2].item<std::int64_t>() == 1);
  CHECK(contains(error_of([] { F::one_hot(tg::zeros({2}), 3); }), "one_hot: expected a Long tensor"));
  CHECK(tg::enum_name(F::PadFuncOptions::mode_t(tg::kReflect)) == "kReflect");
  CHECK(tg::enum_name(tg::nn::init::NonlinearityType(tg::kReLU)) == "kReLU");
}

TEST_CASE("Padding layers and Upsample: F::pad and F::interpolate as layers, LibTorch's values and printing") {
  const tgtest::TextFixture fx("pad_normalize_interpolate");
  const Tensor x(fx.array<double>("x"));
  CHECK_AGREES(tg::nn::ReflectionPad2d(tg::nn::ReflectionPad2dOptions({2, 1, 3, 0}))(x).value<double>(),
               fx.array<double>("pad_reflect.y"));
  CHECK_AGREES(tg::nn::ReplicationPad2d(tg::nn::ReplicationPad2dOptions({1, 3, 2, 2}))(x).value<double>(), fx.array<double>("pad_replicate.y"));
  CHECK_AGREES(tg::nn::ConstantPad1d(tg::nn::ConstantPad1dOptions({1, 2}, 0.5))(x[0]).value<double>(),
               Tensor(fx.array<double>("pad_constant.y"))[0].value<double>());
  CHECK(tg::nn::ZeroPad2d(1)(x).sizes() == tg::IntArrayRef{1, 2, 6, 7});
  CHECK(tg::nn::ReflectionPad1d(2)(x[0]).sizes() == tg::IntArrayRef{2, 4, 9});
  tg::nn::Upsample up(tg::nn::UpsampleOptions().size(std::vector<std::int64_t>{7, 3}).mode(tg::kBilinear).align_corners(true));
  CHECK_AGREES(up(x).value<double>(), fx.array<double>("interpolate_bilinear_size_corners.y"));

  std::ostringstream printed;
  printed << *tg::nn::ZeroPad2d(1) << " " << *tg::nn::ConstantPad2d(tg::nn::ConstantPad2dOptions(1, 0.5)) << " "
          << *tg::nn::Upsample(tg::nn::UpsampleOptions().scale_factor(std::vector<double>{2, 2})) << " " << *up;
  CHECK(printed.str() ==
        "ZeroPad2d(padding=[1, 1, 1, 1]) ConstantPad2d(padding=[1, 1, 1, 1], value=0.5) "
        "Upsample(scale_factor=[2, 2], mode=kNearest) Upsample(size=[7, 3], mode=kBilinear)");
  CHECK(contains(error_of([] { tg::nn::ReflectionPad2dOptions({1, 2, 3}); }),
                 "expected one padding for every side or 4 (left, right, top, bottom), got 3 values"));
  CHECK(contains(error_of([&] { tg::nn::ZeroPad2d(1)(x.flatten()); }), "ZeroPad2d: expected a 3-D or 4-D input, got shape"));
}
