// conv2d's products, on raw NCHW buffers: register-tiled GEMMs over an implicit im2col.
//
// In im2col form (reference/im2col.hpp) a convolution is out = W · cols, dW = dY · colsᵀ and
// dX = col2im(Wᵀ · dY). These read cols in place through the offset tables of conv_offsets
// (kernels/conv2d_geometry.hpp) instead of writing it out, with one micro-kernel for all three
// (tile_product, kernels/conv2d_tiles.hpp). im2col + OpenBLAS sgemm spent more time copying patches
// and packing them than multiplying (docs/performance.md).
//
// N images, O output channels, K = g.patch_size() taps, L = g.out_size() positions an image. `fresh`
// overwrites the gradient buffer; otherwise the gradient is added into it.
#pragma once

#include <cstddef>

#include <tapegrad/kernels/conv2d_geometry.hpp>
#include <tapegrad/kernels/simd.hpp>

namespace tg::kernels::TG_SIMD_ARCH {

// out (N, O, OH, OW) = W (O, K) · cols + bias, from `padded`, the images with their zero border
// (pad_images). bias may be null (no bias).
template <class T>
void conv2d_forward(const T* padded, const T* w, const T* bias, const Conv2dGeometry& g, std::size_t N,
                    std::size_t O, T* out);

// dW (O, K) (+)= dY (O, N·L) · colsᵀ, cols read from the padded images.
template <class T>
void conv2d_weight_grad(const T* padded, const T* dy, const Conv2dGeometry& g, std::size_t N, std::size_t O, T* dw,
                        bool fresh);

// dX (N, C, H, W) (+)= col2im(Wᵀ · dY).
template <class T>
void conv2d_input_grad(const T* dy, const T* w, const Conv2dGeometry& g, std::size_t N, std::size_t O, T* dx,
                       bool fresh);

// db[o] (+)= sum of dY[:, o, :], dY (N, O, L).
template <class T>
void conv2d_bias_grad(const T* dy, std::size_t N, std::size_t O, std::size_t L, T* db, bool fresh);

}  // namespace tg::kernels::TG_SIMD_ARCH
