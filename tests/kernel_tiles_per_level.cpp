// conv2d's tiling (for_each_tile, for_each_channel_block) and micro-kernel (tile_product) against
// naive loops, in float and double: compiled once per SIMD level like the library's kernel copies
// (tests/CMakeLists.txt), so each level's vector width is tested directly; test_kernel_conv2d.cpp
// runs the copy of the level in use (ctest kernels_on_<level>). These templates are not in the
// dispatch table; the transpose is, and test_kernel_transpose.cpp tests each level's through it.
//
// No doctest here: this object is built for its level's instruction set and linked into one object
// whose only global symbol is check_tile_kernels, so none of its inline code can stand in for the
// baseline copy of the test binary. A failure is reported as a message.
#include <tapegrad/kernels/conv2d_tiles.hpp>

#include <cmath>
#include <cstdio>
#include <vector>

#include "random_buffer.hpp"

namespace tgtest::TG_SIMD_ARCH {
namespace {

namespace tiles = tg::kernels::TG_SIMD_ARCH;

// The first failure's message and the count. Messages are formatted with snprintf: std::to_string's
// digit table is a unique global that the one-object link cannot make local.
struct Failures {
  char first[256] = "";
  std::size_t count = 0;
  template <class... Args>
  void expect(bool ok, const char* format, Args... args) {
    if (ok) return;
    if (count++ == 0) std::snprintf(first, sizeof first, format, args...);
  }
};

template <class T>
bool near(T got, long double want) {
  const long double tol = sizeof(T) == 4 ? 2e-5L : 1e-12L;
  return std::fabs(static_cast<long double>(got) - want) <= tol * (1 + std::fabs(want));
}

// Every row exactly once, in tiles of one size R <= max_tile_rows(V), rows_in of each real.
template <std::size_t V>
void check_for_each_tile(Failures& f) {
  for (std::size_t count = 0; count <= 40; ++count) {
    std::vector<int> seen(count, 0);
    std::size_t tile_rows = 0, calls = 0;
    tiles::for_each_tile<V>(count, [&](std::size_t first, auto rows, std::size_t rows_in) {
      constexpr std::size_t R = decltype(rows)::value;
      f.expect(R <= tiles::max_tile_rows(V), "for_each_tile<%zu>(%zu): a tile of %zu rows", V, count, R);
      f.expect(rows_in >= 1 && rows_in <= R, "for_each_tile<%zu>(%zu): rows_in %zu", V, count, rows_in);
      if (calls++ == 0) tile_rows = R;
      f.expect(R == tile_rows, "for_each_tile<%zu>(%zu): tiles of two sizes", V, count);
      for (std::size_t r = 0; r < rows_in && first + r < count; ++r) ++seen[first + r];
    });
    f.expect(calls == (count + tiles::max_tile_rows(V) - 1) / tiles::max_tile_rows(V),
             "for_each_tile<%zu>(%zu): %zu tiles", V, count, calls);
    for (std::size_t i = 0; i < count; ++i)
      f.expect(seen[i] == 1, "for_each_tile<%zu>(%zu): row %zu seen %d times", V, count, i, seen[i]);
  }
}

// Blocks of kMaxVectors vectors, then of 2 and 1 for what is left, covering the padded channels.
template <class T>
void check_for_each_channel_block(Failures& f) {
  constexpr std::size_t W = tiles::kLanes<T>;
  for (std::size_t channels = 0; channels <= 9 * W + 1; ++channels) {
    const std::size_t padded = tiles::padded_channels<T>(channels);
    f.expect(padded % W == 0 && padded >= channels && padded < channels + W,
             "padded_channels(%zu) is %zu with %zu lanes", channels, padded, W);
    std::size_t next = 0;
    tiles::for_each_channel_block<T>(padded, [&](std::size_t c0, auto v) {
      constexpr std::size_t V = decltype(v)::value;
      f.expect(c0 == next, "for_each_channel_block(%zu): a block at %zu after %zu", padded, c0, next);
      const std::size_t left = (padded - c0) / W;
      const std::size_t want = left >= tiles::kMaxVectors ? tiles::kMaxVectors : left >= 2 ? 2 : 1;
      f.expect(V == want, "for_each_channel_block(%zu): %zu vectors at %zu", padded, V, c0);
      next = c0 + V * W;
    });
    f.expect(next == padded, "for_each_channel_block(%zu): ends at %zu", padded, next);
  }
}

// Every position of every image exactly once, in blocks of at most kBlockPositions positions that
// are whole images or parts of one.
void check_for_each_position_block(Failures& f) {
  const std::size_t P = tiles::kBlockPositions;
  for (const std::size_t N : {0, 1, 3, 7})
    for (const std::size_t L : {std::size_t(0), std::size_t(1), std::size_t(16), std::size_t(49), P - 1, P, P + 1,
                                3 * P + 5}) {
      std::vector<int> seen(N * L, 0);
      tiles::for_each_position_block(N, L, [&](std::size_t n0, std::size_t n1, std::size_t q0, std::size_t q1) {
        f.expect(n0 < n1 && n1 <= N && q0 < q1 && q1 <= L, "for_each_position_block(%zu, %zu): block n %zu..%zu q %zu..%zu",
                 N, L, n0, n1, q0, q1);
        f.expect((n1 - n0) * (q1 - q0) <= P, "for_each_position_block(%zu, %zu): %zu positions", N, L,
                 (n1 - n0) * (q1 - q0));
        f.expect(n1 == n0 + 1 || (q0 == 0 && q1 == L), "for_each_position_block(%zu, %zu): parts of several images", N, L);
        for (std::size_t n = n0; n < n1 && n < N; ++n)
          for (std::size_t q = q0; q < q1 && q < L; ++q) ++seen[n * L + q];
      });
      for (std::size_t i = 0; i < N * L; ++i)
        f.expect(seen[i] == 1, "for_each_position_block(%zu, %zu): position %zu seen %d times", N, L, i, seen[i]);
    }
}

// acc[r][v] += sum over s of src[r][offset[s]] * b[s*ldb + v*W + lane], lane by lane.
template <class T, std::size_t R, std::size_t V>
void check_tile_product(Failures& f, std::size_t steps) {
  constexpr std::size_t W = tiles::kLanes<T>;
  const std::size_t ldb = V * W + 3;  // channel vectors need not be packed
  const std::vector<T> pixels = random_buffer<T>(200, 1), b = random_buffer<T>(steps * ldb + V * W, 2);
  std::vector<std::size_t> offset(steps);
  for (std::size_t s = 0; s < steps; ++s) offset[s] = s * 7 % 150;
  const T* src[R];
  for (std::size_t r = 0; r < R; ++r) src[r] = pixels.data() + 3 * r;
  const std::vector<T> start = random_buffer<T>(R * V * W, 3);
  tiles::Vec<T> acc[R][V];
  for (std::size_t r = 0; r < R; ++r)
    for (std::size_t v = 0; v < V; ++v) acc[r][v] = tiles::Vec<T>::load_unaligned(start.data() + (r * V + v) * W);
  tiles::tile_product(src, offset.data(), steps, b.data(), ldb, acc);

  std::vector<T> got(W);
  for (std::size_t r = 0; r < R; ++r)
    for (std::size_t v = 0; v < V; ++v) {
      acc[r][v].store_unaligned(got.data());
      for (std::size_t lane = 0; lane < W; ++lane) {
        long double want = start[(r * V + v) * W + lane];
        for (std::size_t s = 0; s < steps; ++s)
          want += static_cast<long double>(src[r][offset[s]]) * b[s * ldb + v * W + lane];
        f.expect(near(got[lane], want), "tile_product %zux%zu (%zu-byte elements), %zu steps: row %zu, vector %zu, lane %zu is %g, expected %g",
                 R, V, sizeof(T), steps, r, v, lane, double(got[lane]), double(want));
      }
    }
}

template <class T>
void check_tile_products(Failures& f) {
  for (const std::size_t steps : {0, 1, 9, 72}) {
    check_tile_product<T, 1, 1>(f, steps);
    check_tile_product<T, 5, 1>(f, steps);
    check_tile_product<T, 12, 1>(f, steps);
    check_tile_product<T, 1, 2>(f, steps);
    check_tile_product<T, 6, 2>(f, steps);
    check_tile_product<T, 1, 4>(f, steps);
    check_tile_product<T, 5, 4>(f, steps);
    check_tile_product<T, 6, 4>(f, steps);
  }
}

}  // namespace

// Runs every check; returns how many failed and writes the first failure into `message`.
std::size_t check_tile_kernels(char* message, std::size_t size) {
  Failures f;
  check_for_each_tile<1>(f);
  check_for_each_tile<2>(f);
  check_for_each_tile<4>(f);
  check_for_each_position_block(f);
  check_for_each_channel_block<float>(f);
  check_for_each_channel_block<double>(f);
  check_tile_products<float>(f);
  check_tile_products<double>(f);
  std::snprintf(message, size, "%s", f.first);
  return f.count;
}

}  // namespace tgtest::TG_SIMD_ARCH
