// The register-tiled micro-kernel under conv2d's three products (kernels/conv2d.hpp), and how the
// products split their work into tiles.
//
// A tile is R rows (broadcast pixels or dY values) by V vectors of channels, held in registers:
// vectors run along the channels, and each broadcast value feeds every vector of the tile. Channel
// counts are padded up to whole vectors (the padding holds zeros), and a tile past the end of the
// positions or taps recomputes the last one and is not stored.
#pragma once

#include <algorithm>
#include <cstddef>
#include <type_traits>
#include <utility>
#include <vector>

#include <tapegrad/core/allocator.hpp>
#include <tapegrad/kernels/simd.hpp>

namespace tg::kernels::TG_SIMD_ARCH {

// The products' scratch buffers (weights and outputs channels-last, dY transposed, GEMM panels), from
// tg::Array's allocator: aligned to a cache line, so their rows of whole vectors never straddle two
// lines (from plain malloc, where the buffers happened to land made a layer up to 2x slower:
// docs/performance.md), and cached per thread, so a buffer over 128 KiB is not handed back to the OS
// and faulted in again at every call.
template <class T>
using Scratch = std::vector<T, BufferAllocator<T>>;

// Channels rounded up to whole vectors.
template <class T>
std::size_t padded_channels(std::size_t channels) {
  return (channels + kLanes<T> - 1) / kLanes<T> * kLanes<T>;
}

// Tiles: R rows (broadcast pixels or dY values) by V vectors of channels. With 16 vector registers
// (SSE2, AVX2), one or two vectors and at most 12 accumulators, so that they, the V channel vectors
// and the broadcast value fit (with 3 and 4 vectors the compiler spilled: tried, 20% slower). With
// AVX-512's 32 registers, four vectors (64 float channels) by 6 rows too: 24 accumulators, each
// broadcast value feeding 4 FMAs (the ImageNet stem 1.1x faster than with two vectors at most:
// docs/performance.md). One and two vectors keep 12 accumulators there as well.
#ifdef __AVX512F__
constexpr std::size_t kMaxVectors = 4;
#else
constexpr std::size_t kMaxVectors = 2;
#endif
constexpr std::size_t max_tile_rows(std::size_t vectors) { return vectors <= 2 ? 12 / vectors : 24 / vectors; }

// Calls body(channel block start c0, std::integral_constant<V>) for each block of `padded` channels:
// blocks of kMaxVectors vectors, then of fewer (2, then 1) for what is left.
template <class T, class Body>
void for_each_channel_block(std::size_t padded, Body&& body) {
  std::size_t c0 = 0;
  if constexpr (kMaxVectors >= 4)
    for (; padded - c0 >= 4 * kLanes<T>; c0 += 4 * kLanes<T>) body(c0, std::integral_constant<std::size_t, 4>());
  for (; padded - c0 >= 2 * kLanes<T>; c0 += 2 * kLanes<T>) body(c0, std::integral_constant<std::size_t, 2>());
  if (c0 < padded) body(c0, std::integral_constant<std::size_t, 1>());
}

// Output positions a block: the forward's channels-last block of outputs and dW's transposed block
// of dY (kBlockPositions x padded channels: 128 KB at 64 float channels) stay in L2 cache while
// every tile of the block reads them, instead of streaming the whole batch's through memory once
// per tile.
constexpr std::size_t kBlockPositions = 512;

// Splits N images of L positions each into blocks of at most kBlockPositions positions and calls
// body(n0, n1, q0, q1) for each: positions q0..q1 of images n0..n1. Whole images when one image has
// at most kBlockPositions positions, else equal parts of one image.
template <class Body>
void for_each_position_block(std::size_t N, std::size_t L, Body&& body) {
  if (N == 0 || L == 0) return;
  if (L <= kBlockPositions) {
    const std::size_t images = kBlockPositions / L;
    for (std::size_t n0 = 0; n0 < N; n0 += images) body(n0, std::min(N, n0 + images), std::size_t(0), L);
    return;
  }
  const std::size_t parts = (L + kBlockPositions - 1) / kBlockPositions, part = (L + parts - 1) / parts;
  for (std::size_t n = 0; n < N; ++n)
    for (std::size_t q0 = 0; q0 < L; q0 += part) body(n, n + 1, q0, std::min(L, q0 + part));
}

template <std::size_t... R, class F>
void with_rows(std::size_t rows, std::index_sequence<R...>, F& f) {
  (void)((rows == R + 1 && (f(std::integral_constant<std::size_t, R + 1>()), true)) || ...);
}

// Splits `count` rows into the fewest tiles of at most max_tile_rows(V), all of one size R (so a
// short last tile recomputes little), and calls body(first row, std::integral_constant<R>, rows_in)
// for each, rows_in (<= R) being how many of its rows are real: only those are stored.
template <std::size_t V, class Body>
void for_each_tile(std::size_t count, Body&& body) {
  constexpr std::size_t max_rows = max_tile_rows(V);
  if (count == 0) return;  // an empty batch, or no input channels
  const std::size_t tiles = (count + max_rows - 1) / max_rows;
  auto run = [&](auto rows) {
    constexpr std::size_t R = decltype(rows)::value;
    for (std::size_t first = 0; first < count; first += R) body(first, rows, std::min(R, count - first));
  };
  with_rows((count + tiles - 1) / tiles, std::make_index_sequence<max_rows>(), run);
}

// Where a tile's rows read: src[r] = base + offset[first + r], rows past the last real one (of
// `count`) reading the last one again.
template <class T, std::size_t R>
void tile_sources(const T* base, const std::size_t* offset, std::size_t first, std::size_t count, const T* (&src)[R]) {
  for (std::size_t r = 0; r < R; ++r) src[r] = base + offset[std::min(first + r, count - 1)];
}

// acc[r][v] += sum over steps s of  src[r][offset[s]] * (the vector at b + s*ldb + v*lanes): the
// micro-kernel all three products share. src[r] is where tile row r reads its broadcast values
// (pixels, or dY), offset[s] where step s reads them, b the channel vectors, ldb apart per step.
template <class T, std::size_t R, std::size_t V>
void tile_product(const T* const (&src)[R], const std::size_t* offset, std::size_t steps, const T* b, std::size_t ldb,
                  Vec<T> (&acc)[R][V]) {
  for (std::size_t s = 0; s < steps; ++s, b += ldb) {
    Vec<T> w[V];
    for (std::size_t v = 0; v < V; ++v) w[v] = Vec<T>::load_unaligned(b + v * kLanes<T>);
    const std::size_t at = offset[s];
    for (std::size_t r = 0; r < R; ++r) {
      const Vec<T> x(src[r][at]);
      for (std::size_t v = 0; v < V; ++v) acc[r][v] = xsimd::fma(x, w[v], acc[r][v]);
    }
  }
}

template <class T, std::size_t R, std::size_t V>
void zero(Vec<T> (&acc)[R][V]) {
  for (std::size_t r = 0; r < R; ++r)
    for (std::size_t v = 0; v < V; ++v) acc[r][v] = Vec<T>(T(0));
}

}  // namespace tg::kernels::TG_SIMD_ARCH
