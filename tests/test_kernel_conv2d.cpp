// conv2d's kernels on their own: the tiling (for_each_tile, for_each_channel_block), the micro-kernel
// (tile_product) and the four products, against naive loops at ragged sizes (channels off the vector
// width, a single output position, an empty batch), in float and double.
//
// Everything here runs the copy of the SIMD level in use (ctest runs this file once per level:
// kernels_on_<level>): the products through the dispatch table, the tiling and micro-kernel, which
// are templates inside the products, through kernel_tiles_per_level.cpp, compiled once per level.
#include <tapegrad/kernels/dispatch.hpp>

#include "check.hpp"
#include "kernel_check.hpp"

namespace tgtest {
// kernel_tiles_per_level.cpp's check, one copy per level: how many checks failed, the first in `message`.
namespace sse2 {
std::size_t check_tile_kernels(char* message, std::size_t size);
}
namespace avx2 {
std::size_t check_tile_kernels(char* message, std::size_t size);
}
namespace avx512 {
std::size_t check_tile_kernels(char* message, std::size_t size);
}
}  // namespace tgtest

namespace k = tg::kernels;

TEST_CASE("tiling and tile_product of the SIMD level in use, float and double, against naive loops") {
  char message[512] = "";
  std::size_t failures = 0;
  switch (tg::simd_level()) {
    case tg::SimdLevel::SSE2: failures = tgtest::sse2::check_tile_kernels(message, sizeof message); break;
    case tg::SimdLevel::AVX2: failures = tgtest::avx2::check_tile_kernels(message, sizeof message); break;
    case tg::SimdLevel::AVX512: failures = tgtest::avx512::check_tile_kernels(message, sizeof message); break;
  }
  const std::string level = tg::to_string(tg::simd_level());
  CHECK_MESSAGE(failures == 0, level << ": " << failures << " checks failed, the first: " << message);
}

namespace {

struct Case {
  std::size_t N, C, O, H, W, kh, kw, sh, sw, ph, pw;
};

std::string describe(const Case& c) {
  return "N" + std::to_string(c.N) + " C" + std::to_string(c.C) + " O" + std::to_string(c.O) + " " +
         std::to_string(c.H) + "x" + std::to_string(c.W) + " k" + std::to_string(c.kh) + "x" + std::to_string(c.kw) +
         " s" + std::to_string(c.sh) + "," + std::to_string(c.sw) + " p" + std::to_string(c.ph) + "," +
         std::to_string(c.pw);
}

// The four products against the convolution written as its definition (a direct loop in long double).
template <class T>
void check_products(const Case& c) {
  const k::Conv2dGeometry g = k::conv2d_geometry("test", c.C, c.H, c.W, {c.kh, c.kw}, {c.sh, c.sw}, {c.ph, c.pw});
  const std::size_t N = c.N, C = c.C, O = c.O, L = g.out_size(), K = g.patch_size();
  const std::vector<T> x = tgtest::random_buffer<T>(N * g.image_size(), 1), w = tgtest::random_buffer<T>(O * K, 2),
                       bias = tgtest::random_buffer<T>(O, 3), dy = tgtest::random_buffer<T>(N * O * L, 4);
  // Calls f(n, o, c, i, j, oh, ow, input index) for every tap that lands inside the image.
  auto for_each_term = [&](auto f) {
    for (std::size_t n = 0; n < N; ++n)
      for (std::size_t o = 0; o < O; ++o)
        for (std::size_t ch = 0; ch < C; ++ch)
          for (std::size_t i = 0; i < c.kh; ++i)
            for (std::size_t j = 0; j < c.kw; ++j)
              for (std::size_t oh = 0; oh < g.out_h; ++oh)
                for (std::size_t ow = 0; ow < g.out_w; ++ow) {
                  const std::size_t h = oh * c.sh + i, wc = ow * c.sw + j;  // in the padded image
                  if (h < c.ph || h - c.ph >= c.H || wc < c.pw || wc - c.pw >= c.W) continue;
                  f(n, o, ((n * C + ch) * c.H + h - c.ph) * c.W + wc - c.pw, (o * C + ch) * c.kh * c.kw + i * c.kw + j,
                    (n * O + o) * L + oh * g.out_w + ow);
                }
  };
  const std::string what = describe(c);

  std::vector<T> padded(N * g.padded_image_size());
  k::pad_images(x.data(), g, N, padded.data());
  for (const bool with_bias : {true, false}) {
    std::vector<T> out(N * O * L);
    std::vector<long double> want(N * O * L, 0);
    for (std::size_t n = 0; n < N; ++n)
      for (std::size_t o = 0; o < O; ++o)
        for (std::size_t q = 0; q < L; ++q) want[(n * O + o) * L + q] = with_bias ? bias[o] : 0;
    for_each_term([&](std::size_t, std::size_t, std::size_t xi, std::size_t wi, std::size_t yi) {
      want[yi] += static_cast<long double>(x[xi]) * w[wi];
    });
    k::conv2d_forward(padded.data(), w.data(), with_bias ? bias.data() : nullptr, g, N, O, out.data());
    tgtest::check_near(out, want, "conv2d_forward " + what + (with_bias ? "" : " (no bias)"));
  }

  for (const bool fresh : {true, false}) {
    const std::string mode = fresh ? "" : " (+=)";
    std::vector<T> dw = tgtest::random_buffer<T>(O * K, 5), dx = tgtest::random_buffer<T>(N * g.image_size(), 6),
                   db = tgtest::random_buffer<T>(O, 7);
    std::vector<long double> want_dw(O * K, 0), want_dx(dx.size(), 0), want_db(O, 0);
    if (!fresh) {
      want_dw.assign(dw.begin(), dw.end());
      want_dx.assign(dx.begin(), dx.end());
      want_db.assign(db.begin(), db.end());
    }
    for_each_term([&](std::size_t, std::size_t, std::size_t xi, std::size_t wi, std::size_t yi) {
      want_dw[wi] += static_cast<long double>(dy[yi]) * x[xi];
      want_dx[xi] += static_cast<long double>(dy[yi]) * w[wi];
    });
    for (std::size_t n = 0; n < N; ++n)
      for (std::size_t o = 0; o < O; ++o)
        for (std::size_t q = 0; q < L; ++q) want_db[o] += dy[(n * O + o) * L + q];
    k::conv2d_weight_grad(padded.data(), dy.data(), g, N, O, dw.data(), fresh);
    k::conv2d_input_grad(dy.data(), w.data(), g, N, O, dx.data(), fresh);
    k::conv2d_bias_grad(dy.data(), N, O, L, db.data(), fresh);
    tgtest::check_near(dw, want_dw, "conv2d_weight_grad " + what + mode);
    tgtest::check_near(dx, want_dx, "conv2d_input_grad " + what + mode);
    tgtest::check_near(db, want_db, "conv2d_bias_grad " + what + mode);
  }
}

// Channel counts on and off the vector widths (float 4, 8, 16 lanes at SSE2, AVX2, AVX-512; double
// half), strides and paddings, one output position (kernel as large as the padded input), a 1x1
// kernel, an empty batch.
const Case kCases[] = {
    {2, 1, 8, 28, 28, 5, 5, 2, 2, 2, 2},  // the MNIST CNN's layers, at batch 2
    {2, 8, 16, 14, 14, 3, 3, 2, 2, 1, 1},
    {2, 16, 32, 7, 7, 3, 3, 2, 2, 1, 1},
    {3, 3, 5, 6, 7, 3, 2, 1, 2, 1, 0},
    {1, 9, 17, 5, 5, 3, 3, 1, 1, 0, 1},
    {1, 4, 33, 5, 5, 3, 3, 1, 1, 1, 1},  // three AVX-512 float vectors of output channels
    {2, 5, 3, 4, 4, 6, 6, 1, 1, 1, 1},   // one output position
    {1, 17, 9, 3, 5, 1, 1, 1, 1, 0, 0},  // 1x1 kernel
    {4, 2, 1, 9, 9, 3, 3, 3, 3, 0, 0},   // one output channel
    {0, 3, 4, 5, 5, 3, 3, 1, 1, 1, 1},   // empty batch
    // Position blocks (kernels/conv2d_tiles.hpp: for_each_position_block, 512 positions): the ImageNet
    // stem's shape on 48x48 (576 positions an image, in two parts; 64 output channels, four AVX-512
    // float vectors); 625 positions and 67 channels (four vectors and one); 49 positions, blocks of
    // 10 images and then 2.
    {2, 3, 64, 48, 48, 7, 7, 2, 2, 3, 3},
    {1, 2, 67, 25, 25, 3, 3, 1, 1, 1, 1},
    {12, 2, 20, 13, 13, 3, 3, 2, 2, 1, 1},
};

}  // namespace

TEST_CASE("conv2d kernels: forward, weight, input and bias products against the direct convolution, float") {
  for (const Case& c : kCases) check_products<float>(c);
}

TEST_CASE("conv2d kernels: forward, weight, input and bias products against the direct convolution, double") {
  for (const Case& c : kCases) check_products<double>(c);
}
