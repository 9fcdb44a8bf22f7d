// Pixel shuffle, as LibTorch's: channels traded for resolution (the sub-pixel convolution's upsampling)
// and back.
//
//   tg::pixel_shuffle(x, 2);                               // (N, 4C, H, W) -> (N, C, 2H, 2W)
//   F::pixel_shuffle(x, F::PixelShuffleFuncOptions(2));    // LibTorch's functional form
//   tg::pixel_unshuffle(y, 2);                             // (N, C, 2H, 2W) -> (N, 4C, H, W)
//
// Any leading dims before (C, H, W), any dtype. Composites of reshape and permute: their gradients
// move the gradient back.
#pragma once

#include <cstdint>

#include <tapegrad/core/arg.hpp>
#include <tapegrad/core/tensor.hpp>

namespace tg {

// (*, C·r², H, W) -> (*, C, H·r, W·r): output (c, h·r + i, w·r + j) is input (c·r² + i·r + j, h, w).
Tensor pixel_shuffle(const Tensor& x, std::int64_t upscale_factor);
// pixel_shuffle's inverse: (*, C, H·r, W·r) -> (*, C·r², H, W).
Tensor pixel_unshuffle(const Tensor& x, std::int64_t downscale_factor);

namespace nn {

struct PixelShuffleOptions {
  /* implicit */ PixelShuffleOptions(std::int64_t upscale_factor) : upscale_factor_(upscale_factor) {}
  TG_ARG(std::int64_t, upscale_factor);
};

struct PixelUnshuffleOptions {
  /* implicit */ PixelUnshuffleOptions(std::int64_t downscale_factor) : downscale_factor_(downscale_factor) {}
  TG_ARG(std::int64_t, downscale_factor);
};

namespace functional {

using PixelShuffleFuncOptions = PixelShuffleOptions;
using PixelUnshuffleFuncOptions = PixelUnshuffleOptions;

inline Tensor pixel_shuffle(const Tensor& x, const PixelShuffleFuncOptions& options) {
  return tg::pixel_shuffle(x, options.upscale_factor());
}
inline Tensor pixel_unshuffle(const Tensor& x, const PixelUnshuffleFuncOptions& options) {
  return tg::pixel_unshuffle(x, options.downscale_factor());
}

}  // namespace functional
}  // namespace nn
}  // namespace tg
