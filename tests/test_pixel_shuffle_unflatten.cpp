// PixelShuffle, PixelUnshuffle and Unflatten (ops/pixel_shuffle.hpp, modules/pixel_shuffle.hpp,
// modules/flatten.hpp): LibTorch's values and gradients, float64 gradchecks, round trips, the
// functional and Tensor forms, printing, and bad input.
#include <sstream>
#include <string>

#include "check.hpp"
#include "text_fixtures.hpp"

using tg::Tensor;
using tgtest::contains;
using tgtest::error_of;
namespace F = tg::nn::functional;

namespace {

// The module on the fixture's input, against LibTorch's <name>.y and, for <name>.gy, <name>.grad.<input>.
template <class Layer>
void agrees_with_libtorch(const tgtest::TextFixture& fx, const std::string& name, const std::string& input,
                            Layer& layer) {
  CAPTURE(name);
  Tensor x(fx.array<double>(input), true);
  const Tensor y = layer(x);
  CHECK_AGREES(y.value<double>(), fx.array<double>(name + ".y"));
  y.backward(Tensor(fx.array<double>(name + ".gy")));
  CHECK_AGREES(x.grad().value<double>(), fx.array<double>(name + ".grad." + input));
}

template <class Fn>
void passes_gradcheck(Fn fn, const tg::Variable<double>& x) {
  CHECK_GRADCHECK([&](const std::vector<tg::Variable<double>>& in) { return fn(Tensor(in[0])).template variable<double>(); },
                  {x});
}

}  // namespace

TEST_CASE("PixelShuffle, PixelUnshuffle, Unflatten agree with LibTorch, leading dims included") {
  const tgtest::TextFixture fx("pixel_shuffle_unflatten");
  tg::nn::PixelShuffle shuffle2(2), shuffle3(3);
  tg::nn::PixelUnshuffle unshuffle2(2);
  tg::nn::Unflatten unflatten(tg::nn::UnflattenOptions(1, {2, -1, 2}));
  agrees_with_libtorch(fx, "shuffle2", "x4", shuffle2);
  agrees_with_libtorch(fx, "shuffle3_5d", "x5", shuffle3);
  agrees_with_libtorch(fx, "unshuffle2", "xu", unshuffle2);
  agrees_with_libtorch(fx, "unflatten", "x4", unflatten);
}

TEST_CASE("pixel_shuffle and pixel_unshuffle: inverses, any dtype, functional forms, gradchecks") {
  const Tensor x = tg::arange(2 * 8 * 2 * 3).reshape({2, 8, 2, 3});  // Long
  const Tensor up = tg::pixel_shuffle(x, 2);
  CHECK(up.sizes() == tg::IntArrayRef{2, 2, 4, 6});
  CHECK(up.scalar_type() == tg::kLong);
  // Output (c, h·r + i, w·r + j) is input (c·r² + i·r + j, h, w): (1, 3, 4) is (1·4 + 1·2 + 0, 1, 2).
  CHECK(up.index({1, 1, 3, 4}).item<std::int64_t>() == x.index({1, 6, 1, 2}).item<std::int64_t>());
  CHECK(tg::equal(tg::pixel_unshuffle(up, 2), x));
  CHECK(tg::equal(F::pixel_shuffle(x, F::PixelShuffleFuncOptions(2)), up));
  CHECK(tg::equal(F::pixel_unshuffle(up, F::PixelUnshuffleFuncOptions(2)), x));
  CHECK(tg::equal(tg::pixel_shuffle(x, 1), x));
  passes_gradcheck([](const Tensor& t) { return tg::pixel_shuffle(t, 2); }, tgtest::rand_var({1, 4, 2, 3}, 61));
  passes_gradcheck([](const Tensor& t) { return tg::pixel_unshuffle(t, 3); }, tgtest::rand_var({2, 1, 3, 6}, 62));
}

TEST_CASE("unflatten: flatten's inverse, one size inferred, gradcheck") {
  const Tensor x = tg::ones({4, 12});
  CHECK(x.unflatten(1, {3, 4}).sizes() == tg::IntArrayRef{4, 3, 4});
  CHECK(tg::unflatten(x, -1, {2, -1, 3}).sizes() == tg::IntArrayRef{4, 2, 2, 3});
  CHECK(x.unflatten(0, {4}).sizes() == tg::IntArrayRef{4, 12});
  CHECK(tg::nn::Unflatten(0, std::vector<std::int64_t>{2, 2})(x).flatten(0, 1).sizes() == x.sizes());
  passes_gradcheck([](const Tensor& t) { return t.unflatten(1, {2, 3}); }, tgtest::rand_var({2, 6}, 63));
}

TEST_CASE("PixelShuffle, PixelUnshuffle, Unflatten print as LibTorch's") {
  std::ostringstream printed;
  printed << *tg::nn::PixelShuffle(2) << " " << *tg::nn::PixelUnshuffle(3) << " "
          << *tg::nn::Unflatten(tg::nn::UnflattenOptions(1, {64, 7, 7}));
  CHECK(printed.str() == "PixelShuffle(upscale_factor=2) PixelUnshuffle(downscale_factor=3) "
                         "Unflatten(dim=1, unflattened_size={64, 7, 7})");
}

TEST_CASE("pixel_shuffle, pixel_unshuffle, unflatten: bad shapes and factors throw, naming them") {
  CHECK(contains(error_of([] { tg::pixel_shuffle(tg::ones({4, 2}), 2); }),
                 "pixel_shuffle: expected a tensor of at least 3 dims (*, C, H, W), got shape (4, 2)"));
  CHECK(contains(error_of([] { tg::pixel_shuffle(tg::ones({1, 4, 2, 2}), 0); }),
                 "pixel_shuffle: expected upscale_factor >= 1, got 0"));
  CHECK(contains(error_of([] { tg::pixel_shuffle(tg::ones({1, 6, 2, 2}), 2); }),
                 "pixel_shuffle: expected the channels (dim -3) of shape (1, 6, 2, 2) to be divisible by "
                 "upscale_factor^2 = 4"));
  CHECK(contains(error_of([] { tg::pixel_shuffle(tg::ones({1, 4, 2, 2}), std::int64_t{1} << 32); }),
                 "pixel_shuffle: 4294967296 x 4294967296 for shape (1, 4, 2, 2) overflows int64"));
  CHECK(contains(error_of([] { tg::pixel_unshuffle(tg::ones({1, 1, 4, 3}), 2); }),
                 "pixel_unshuffle: expected the height and width (dims -2, -1) of shape (1, 1, 4, 3) to be divisible "
                 "by downscale_factor = 2"));
  CHECK(contains(error_of([] { tg::ones({4, 12}).unflatten(1, {5, -1}); }),
                 "unflatten: sizes (5, -1) do not split dim 1 of size 12 (shape (4, 12))"));
  CHECK(contains(error_of([] { tg::ones({4, 12}).unflatten(1, {3, 3}); }),
                 "unflatten: sizes (3, 3) do not split dim 1 of size 12"));
  CHECK(contains(error_of([] { tg::ones({4, 12}).unflatten(1, {-1, -1}); }),
                 "unflatten: expected sizes >= 0 and at most one -1, got (-1, -1)"));
  CHECK(contains(error_of([] { tg::ones({4, 12}).unflatten(1, {}); }), "unflatten: expected at least one size for dim 1"));
  CHECK(contains(error_of([] { tg::ones({}).unflatten(0, {1}); }),
                 "unflatten: expected a tensor of at least one dim, got a 0-d tensor"));
}
