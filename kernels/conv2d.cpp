#include <tapegrad/kernels/conv2d.hpp>

#include <algorithm>
#include <vector>

#include <tapegrad/kernels/conv2d_tiles.hpp>
#include <tapegrad/kernels/sums.hpp>
#include <tapegrad/kernels/transpose.hpp>

namespace tg::kernels::TG_SIMD_ARCH {

// Where each position of a block (for_each_position_block) reads in the padded images: source[i] =
// n*image + position[q] for the block's images n and positions q in turn. Returns how many.
inline std::size_t block_sources(const ConvOffsets& offsets, std::size_t image, std::size_t n0, std::size_t n1,
                                 std::size_t q0, std::size_t q1, std::size_t* source) {
  for (std::size_t n = n0; n < n1; ++n)
    for (std::size_t q = q0; q < q1; ++q) *source++ = n * image + offsets.position[q];
  return (n1 - n0) * (q1 - q0);
}

// out (N, O, L) = W · cols + bias, from the zero-padded images. As its transpose, a block of
// positions at a time (for_each_position_block): tiles of R output positions (of any images of the
// block) by up to kMaxVectors vectors of output channels, written channels-last into outt
// (positions, Op) as whole vectors, then transposed into out. Wt (K, Op) is W transposed and b the
// bias, both zero in the padding channels.
template <class T>
void conv2d_forward(const T* padded, const T* w, const T* bias, const Conv2dGeometry& g, std::size_t N,
                    std::size_t O, T* out) {
  const std::size_t K = g.patch_size(), L = g.out_size(), Op = padded_channels<T>(O);
  const std::size_t image = g.padded_image_size();
  Scratch<T> wt(K * Op, T(0)), b(Op, T(0));
  for (std::size_t o = 0; o < O; ++o)
    for (std::size_t k = 0; k < K; ++k) wt[k * Op + o] = w[o * K + k];
  if (bias) std::copy_n(bias, O, b.begin());
  const ConvOffsets offsets = conv_offsets(g, g.channels, 1);
  std::vector<std::size_t> source(kBlockPositions);
  Scratch<T> outt(kBlockPositions * Op);
  for_each_position_block(N, L, [&](std::size_t n0, std::size_t n1, std::size_t q0, std::size_t q1) {
    const std::size_t len = q1 - q0, positions = block_sources(offsets, image, n0, n1, q0, q1, source.data());
    for_each_channel_block<T>(Op, [&](std::size_t o0, auto vectors) {
      constexpr std::size_t V = decltype(vectors)::value;
      for_each_tile<V>(positions, [&](std::size_t p0, auto rows, std::size_t rows_in) {
        constexpr std::size_t R = decltype(rows)::value;
        const T* src[R];
        tile_sources(padded, source.data(), p0, positions, src);
        Vec<T> acc[R][V];  // starting from the bias
        for (std::size_t r = 0; r < R; ++r)
          for (std::size_t v = 0; v < V; ++v) acc[r][v] = Vec<T>::load_unaligned(b.data() + o0 + v * kLanes<T>);
        tile_product(src, offsets.tap.data(), K, wt.data() + o0, Op, acc);
        // (A loop over all R rows, not to a run-time bound: acc then stays in registers.)
        T* const dst = outt.data() + p0 * Op + o0;
        for (std::size_t r = 0; r < R; ++r)
          if (r < rows_in)
            for (std::size_t v = 0; v < V; ++v) acc[r][v].store_unaligned(dst + r * Op + v * kLanes<T>);
      });
    });
    for (std::size_t n = n0; n < n1; ++n)
      transpose(outt.data() + (n - n0) * len * Op, len, O, Op, out + n * O * L + q0, L);
  });
}

// dW (O, K) (+)= dY (O, N·L) · colsᵀ, as dWᵀ (K, Op), a block of positions at a time: the block's dY
// transposed into dyt (positions, Op), then tiles of R taps by up to kMaxVectors vectors of output
// channels, summed over the block's positions (of any of its images) into dWᵀ.
template <class T>
void conv2d_weight_grad(const T* padded, const T* dy, const Conv2dGeometry& g, std::size_t N, std::size_t O, T* dw,
                        bool fresh) {
  const std::size_t K = g.patch_size(), L = g.out_size(), Op = padded_channels<T>(O);
  const std::size_t image = g.padded_image_size();
  // Zero in the padding channels, which the transposes never write: their dW is dropped, but keep
  // them finite.
  Scratch<T> dyt(kBlockPositions * Op, T(0)), dwt(K * Op, T(0));
  const ConvOffsets offsets = conv_offsets(g, g.channels, 1);
  std::vector<std::size_t> source(kBlockPositions);
  for_each_position_block(N, L, [&](std::size_t n0, std::size_t n1, std::size_t q0, std::size_t q1) {
    const std::size_t len = q1 - q0, positions = block_sources(offsets, image, n0, n1, q0, q1, source.data());
    for (std::size_t n = n0; n < n1; ++n) transpose(dy + n * O * L + q0, O, len, L, &dyt[(n - n0) * len * Op], Op);
    for_each_channel_block<T>(Op, [&](std::size_t o0, auto vectors) {
      constexpr std::size_t V = decltype(vectors)::value;
      // A tile on its own (noinline): inlined into the block loop, GCC 12 kept the tile's row pointers
      // on the stack, and the MNIST CNN's first layer's dW ran 15% slower.
      for_each_tile<V>(K, [&](std::size_t k0, auto rows, std::size_t rows_in) __attribute__((noinline)) {
        constexpr std::size_t R = decltype(rows)::value;
        T* const sum = dwt.data() + k0 * Op + o0;
        Vec<T> acc[R][V];
        for (std::size_t r = 0; r < R; ++r)  // rows past the taps start from zero and are not stored
          for (std::size_t v = 0; v < V; ++v)
            acc[r][v] = r < rows_in ? Vec<T>::load_unaligned(sum + r * Op + v * kLanes<T>) : Vec<T>(T(0));
        const T* src[R];
        tile_sources(padded, offsets.tap.data(), k0, K, src);
        tile_product(src, source.data(), positions, dyt.data() + o0, Op, acc);
        for (std::size_t r = 0; r < R; ++r)
          if (r < rows_in)
            for (std::size_t v = 0; v < V; ++v) acc[r][v].store_unaligned(sum + r * Op + v * kLanes<T>);
      });
    });
  });
  for (std::size_t o = 0; o < O; ++o)
    for (std::size_t k = 0; k < K; ++k) dw[o * K + k] = fresh ? dwt[k * Op + o] : dw[o * K + k] + dwt[k * Op + o];
}

// dX (+)= col2im(Wᵀ · dY): for each tile of R output positions (of any images) and each kernel tap,
// Wᵀ · dY over up to 2 vectors of input channels, added straight into channels-last padded images
// dpad (N, Hp, Wp, Cp) where the tap reads; their interiors are then added into dX (N, C, H, W).
// Wx (taps, O, Cp) holds W[o][c][tap] at [tap][o][c].
template <class T>
void conv2d_input_grad(const T* dy, const T* w, const Conv2dGeometry& g, std::size_t N, std::size_t O, T* dx,
                       bool fresh) {
  const std::size_t C = g.channels, L = g.out_size(), taps = g.kernel_h * g.kernel_w;
  const std::size_t Cp = padded_channels<T>(C), Wp = g.padded_width(), positions = N * L;
  const std::size_t image_cl = g.padded_height() * Wp * Cp;
  Scratch<T> wx(taps * O * Cp, T(0));
  for (std::size_t o = 0; o < O; ++o)
    for (std::size_t c = 0; c < C; ++c)
      for (std::size_t t = 0; t < taps; ++t) wx[(t * O + o) * Cp + c] = w[(o * C + c) * taps + t];
  const ConvOffsets at = conv_offsets(g, 1, Cp);  // channels-last: taps (i, j) only
  std::vector<std::size_t> channel_rows(O);                     // where dY's channel o starts, in an image's dY
  for (std::size_t o = 0; o < O; ++o) channel_rows[o] = o * L;
  std::vector<std::size_t> source(positions), target(positions);  // each position's dY and dpad
  for (std::size_t n = 0; n < N; ++n)
    for (std::size_t q = 0; q < L; ++q) {
      source[n * L + q] = n * O * L + q;
      target[n * L + q] = n * image_cl + at.position[q];
    }
  Scratch<T> dpad(N * image_cl, T(0));
  for_each_channel_block<T>(Cp, [&](std::size_t c0, auto vectors) {
    constexpr std::size_t V = decltype(vectors)::value;
    for_each_tile<V>(positions, [&](std::size_t p0, auto rows, std::size_t rows_in) {
      constexpr std::size_t R = decltype(rows)::value;
      const T* src[R];
      tile_sources(dy, source.data(), p0, positions, src);
      const std::size_t* const to = target.data() + p0;
      for (std::size_t t = 0; t < taps; ++t) {
        Vec<T> acc[R][V];
        zero(acc);
        tile_product(src, channel_rows.data(), O, wx.data() + t * O * Cp + c0, Cp, acc);
        T* const base = dpad.data() + at.tap[t] + c0;
        for (std::size_t r = 0; r < R; ++r)
          if (r < rows_in)
            for (std::size_t v = 0; v < V; ++v) {
              T* d = base + to[r] + v * kLanes<T>;
              (Vec<T>::load_unaligned(d) + acc[r][v]).store_unaligned(d);
            }
      }
    });
  });
  // Each image channels-first again (C, Hp, Wp), then its interior into dX: whole planes transpose in
  // 8x8 blocks, where a row of 7 or 14 pixels at a time would go element by element.
  const std::size_t plane = g.padded_height() * Wp;
  std::vector<T> channels_first(C * plane);
  for (std::size_t n = 0; n < N; ++n) {
    transpose(dpad.data() + n * image_cl, plane, C, Cp, channels_first.data(), plane);
    for (std::size_t c = 0; c < C; ++c)
      for (std::size_t h = 0; h < g.height; ++h) {
        const T* src = channels_first.data() + c * plane + (h + g.pad_h) * Wp + g.pad_w;
        T* dst = dx + ((n * C + c) * g.height + h) * g.width;
        for (std::size_t w = 0; w < g.width; ++w) dst[w] = fresh ? src[w] : dst[w] + src[w];
      }
  }
}

// db[o] (+)= sum of dY[:, o, :]: over images first, as whole rows.
template <class T>
void conv2d_bias_grad(const T* dy, std::size_t N, std::size_t O, std::size_t L, T* db, bool fresh) {
  std::vector<T> per_position(O * L);
  column_sums(dy, N, O * L, per_position.data(), /*fresh=*/true);
  for (std::size_t o = 0; o < O; ++o) {
    const T* row = per_position.data() + o * L;
    const T s = row_sum(row, L);
    db[o] = fresh ? s : db[o] + s;
  }
}

#define TG_INSTANTIATE(T)                                                                                        \
  template void conv2d_forward(const T*, const T*, const T*, const Conv2dGeometry&, std::size_t, std::size_t, T*); \
  template void conv2d_weight_grad(const T*, const T*, const Conv2dGeometry&, std::size_t, std::size_t, T*, bool); \
  template void conv2d_input_grad(const T*, const T*, const Conv2dGeometry&, std::size_t, std::size_t, T*, bool);  \
  template void conv2d_bias_grad(const T*, std::size_t, std::size_t, std::size_t, T*, bool);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)
#undef TG_INSTANTIATE

}  // namespace tg::kernels::TG_SIMD_ARCH
