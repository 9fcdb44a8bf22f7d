// conv2d's kernels on their own: the tiling (for_each_tile, for_each_channel_block), the micro-kernel
// (tile_product) and the four products, against naive loops at ragged sizes (channels off the vector
// width, a single output position, an empty batch), in float and double.
//
// The products run the copy of the SIMD level in use (ctest runs this file once per level:
// kernels_on_<level>). The tiling and micro-kernel are templates compiled here, for the test binary's
// own instruction set, the x86-64 baseline (SSE2); every level's copy of them runs under the products.
#define TG_SIMD_ARCH sse2
#include <tapegrad/kernels/conv2d_tiles.hpp>
#include <tapegrad/kernels/dispatch.hpp>

#include "check.hpp"
#include "kernel_check.hpp"

namespace k = tg::kernels;
namespace tiles = tg::kernels::sse2;

TEST_CASE("for_each_tile: every row exactly once, in tiles of one size no larger than the registers allow") {
  auto check = [](auto vectors) {
    constexpr std::size_t V = decltype(vectors)::value;
    for (std::size_t count = 0; count <= 40; ++count) {
      std::vector<int> seen(count, 0);
      std::size_t tile_rows = 0, calls = 0;
      tiles::for_each_tile<V>(count, [&](std::size_t first, auto rows, std::size_t rows_in) {
        constexpr std::size_t R = decltype(rows)::value;
        CHECK(R <= tiles::max_tile_rows(V));
        CHECK(rows_in <= R);
        CHECK(rows_in >= 1);
        if (calls++ == 0) tile_rows = R;
        CHECK(R == tile_rows);
        for (std::size_t r = 0; r < rows_in; ++r) ++seen.at(first + r);
      });
      CHECK(calls == (count + tiles::max_tile_rows(V) - 1) / tiles::max_tile_rows(V));
      for (std::size_t i = 0; i < count; ++i) CHECK_MESSAGE(seen[i] == 1, "count " << count << ", row " << i);
    }
  };
  check(std::integral_constant<std::size_t, 1>());
  check(std::integral_constant<std::size_t, 2>());
}

TEST_CASE("for_each_channel_block: blocks of two vectors, one for an odd last vector, covering the channels") {
  constexpr std::size_t W = tiles::kLanes<float>;
  for (std::size_t vectors = 0; vectors <= 5; ++vectors) {
    std::size_t next = 0;
    tiles::for_each_channel_block<float>(vectors * W, [&](std::size_t c0, auto v) {
      constexpr std::size_t V = decltype(v)::value;
      CHECK(c0 == next);
      CHECK(V == (vectors * W - c0 >= 2 * W ? 2 : 1));
      next = c0 + V * W;
    });
    CHECK(next == vectors * W);
  }
}

namespace {

// acc[r][v] += sum over s of src[r][offset[s]] * b[s*ldb + v*W + lane], checked lane by lane.
template <class T, std::size_t R, std::size_t V>
void check_tile_product(std::size_t steps) {
  constexpr std::size_t W = tiles::kLanes<T>;
  const std::size_t ldb = V * W + 3;  // channel vectors need not be packed
  const std::vector<T> pixels = tgtest::random_buffer<T>(200, 1), b = tgtest::random_buffer<T>(steps * ldb + V * W, 2);
  std::vector<std::size_t> offset(steps);
  for (std::size_t s = 0; s < steps; ++s) offset[s] = s * 7 % 150;
  const T* src[R];
  for (std::size_t r = 0; r < R; ++r) src[r] = pixels.data() + 3 * r;
  const std::vector<T> start = tgtest::random_buffer<T>(R * V * W, 3);
  tiles::Vec<T> acc[R][V];
  for (std::size_t r = 0; r < R; ++r)
    for (std::size_t v = 0; v < V; ++v) acc[r][v] = tiles::Vec<T>::load_unaligned(start.data() + (r * V + v) * W);
  tiles::tile_product(src, offset.data(), steps, b.data(), ldb, acc);

  std::vector<T> got(R * V * W);
  std::vector<long double> want(R * V * W);
  for (std::size_t r = 0; r < R; ++r)
    for (std::size_t v = 0; v < V; ++v) {
      acc[r][v].store_unaligned(got.data() + (r * V + v) * W);
      for (std::size_t lane = 0; lane < W; ++lane) {
        long double sum = start[(r * V + v) * W + lane];
        for (std::size_t s = 0; s < steps; ++s)
          sum += static_cast<long double>(src[r][offset[s]]) * b[s * ldb + v * W + lane];
        want[(r * V + v) * W + lane] = sum;
      }
    }
  tgtest::check_near(got, want, "tile_product " + std::to_string(R) + "x" + std::to_string(V) + ", " +
                                    std::to_string(steps) + " steps");
}

template <class T>
void check_tile_products() {
  for (const std::size_t steps : {0, 1, 9, 72}) {
    check_tile_product<T, 1, 1>(steps);
    check_tile_product<T, 5, 1>(steps);
    check_tile_product<T, 12, 1>(steps);
    check_tile_product<T, 1, 2>(steps);
    check_tile_product<T, 6, 2>(steps);
  }
}

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
};

}  // namespace

TEST_CASE("tile_product: R rows by V vectors of accumulators, float and double, against a naive sum") {
  check_tile_products<float>();
  check_tile_products<double>();
}

TEST_CASE("conv2d kernels: forward, weight, input and bias products against the direct convolution, float") {
  for (const Case& c : kCases) check_products<float>(c);
}

TEST_CASE("conv2d kernels: forward, weight, input and bias products against the direct convolution, double") {
  for (const Case& c : kCases) check_products<double>(c);
}
