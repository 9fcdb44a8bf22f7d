// The three products under conv2d, as register-blocked GEMM micro-kernels over an implicit im2col.
// Internal: included by ops/conv2d.cpp only.
//
// In im2col form (ops/im2col.hpp) a convolution is out = W · cols, dW = dY · colsᵀ and
// dX = col2im(Wᵀ · dY), with cols[k][q] = xpad[tap[k] + position[q]]: tap k = (c, i, j) of the kernel
// and output position q = (oh, ow) are offsets into the zero-padded image. These kernels read cols in
// place through those two offset tables instead of writing it out, and keep a tile of the product in
// registers: vectors run along the channels (out channels for out and dW, in channels for dX), and
// each broadcast pixel feeds every vector of the tile.
// (im2col + OpenBLAS sgemm spent more time copying patches and packing them than multiplying: the
// MNIST CNN's three layers run forward and backward in about half the time this way, bench_conv2d.)
//
// Channel counts are padded up to whole vectors (the padding holds zeros), and a tile past the end of
// the positions or taps recomputes the last one and is not stored.
#pragma once

#include <algorithm>
#include <cstddef>
#include <type_traits>
#include <utility>
#include <vector>

#include <xsimd/xsimd.hpp>

#include <tapegrad/ops/im2col.hpp>

namespace tg::detail {

template <class T>
using Vec = xsimd::batch<T>;

template <class T>
constexpr std::size_t kLanes = Vec<T>::size;

// Channels rounded up to whole vectors.
template <class T>
std::size_t padded_channels(std::size_t channels) {
  return (channels + kLanes<T> - 1) / kLanes<T> * kLanes<T>;
}

// The offset tables of the implicit cols, in elements of a zero-padded (C, Hp, Wp) image, times
// `scale` (the channel count of a channels-last image, 1 for a channels-first one).
struct ConvOffsets {
  std::vector<std::size_t> tap;       // (c, i, j) -> (c*Hp + i)*Wp + j; for `scale` > 1, c is left out
  std::vector<std::size_t> position;  // (oh, ow) -> oh*stride_h*Wp + ow*stride_w
};

inline std::size_t padded_image_size(const Conv2dGeometry& g) { return g.channels * g.padded_height() * g.padded_width(); }

inline ConvOffsets conv_offsets(const Conv2dGeometry& g, std::size_t channels, std::size_t scale) {
  ConvOffsets t;
  const std::size_t Hp = g.padded_height(), Wp = g.padded_width();
  for (std::size_t c = 0; c < channels; ++c)
    for (std::size_t i = 0; i < g.kernel_h; ++i)
      for (std::size_t j = 0; j < g.kernel_w; ++j) t.tap.push_back(((c * Hp + i) * Wp + j) * scale);
  for (std::size_t oh = 0; oh < g.out_h; ++oh)
    for (std::size_t ow = 0; ow < g.out_w; ++ow) t.position.push_back((oh * g.stride_h * Wp + ow * g.stride_w) * scale);
  return t;
}

// images (N, C, H, W) -> (N, C, Hp, Wp) with the zero border written out.
template <class T>
void pad_images(const T* x, const Conv2dGeometry& g, std::size_t images, T* padded) {
  // One memset, then the rows: writing only the border took many tiny fills, and was slower.
  const std::size_t Hp = g.padded_height(), Wp = g.padded_width();
  std::fill(padded, padded + images * padded_image_size(g), T(0));
  for (std::size_t plane = 0; plane < images * g.channels; ++plane)
    for (std::size_t h = 0; h < g.height; ++h)
      std::copy_n(x + (plane * g.height + h) * g.width, g.width, padded + (plane * Hp + h + g.pad_h) * Wp + g.pad_w);
}

// Tiles: R rows (broadcast pixels or dY values) by V vectors of channels, at most 12 accumulators
// so that they, the V channel vectors and the broadcast value fit in the 16 vector registers (with
// 3 and 4 vectors the compiler spilled: tried, 20% slower).
constexpr std::size_t kMaxVectors = 2;
constexpr std::size_t max_tile_rows(std::size_t vectors) { return 12 / vectors; }

// Calls body(channel block start c0, std::integral_constant<V>) for each block of up to kMaxVectors
// vectors of `padded` channels.
template <class T, class Body>
void for_each_channel_block(std::size_t padded, Body&& body) {
  for (std::size_t c0 = 0; c0 < padded; c0 += kMaxVectors * kLanes<T>) {
    if (padded - c0 >= 2 * kLanes<T>)
      body(c0, std::integral_constant<std::size_t, 2>());
    else
      body(c0, std::integral_constant<std::size_t, 1>());
  }
}

template <std::size_t... R, class F>
void with_rows(std::size_t rows, std::index_sequence<R...>, F& f) {
  ((rows == R + 1 && (f(std::integral_constant<std::size_t, R + 1>()), true)) || ...);
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

}  // namespace tg::detail
