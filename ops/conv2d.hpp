// conv2d: 2-D convolution (cross-correlation, as in LibTorch) of a batch: its three products are GEMMs
// over an implicit im2col, run by register-tiled kernels (kernels/conv2d.hpp).
#pragma once

#include <array>
#include <cstddef>

#include <tapegrad/core/variable.hpp>

namespace tg {

// x (N, C, H, W), weight (O, C, kh, kw), bias (O,) or an undefined Variable<T>() for none
// -> (N, O, OH, OW) with OH = (H + 2*padding[0] - kh) / stride[0] + 1, and likewise OW.
template <class T>
Variable<T> conv2d(const Variable<T>& x, const Variable<T>& weight, const Variable<T>& bias,
                   std::array<std::size_t, 2> stride = {1, 1}, std::array<std::size_t, 2> padding = {0, 0});

// The same stride and padding along both axes: conv2d(x, w, b, 2, 1).
template <class T>
Variable<T> conv2d(const Variable<T>& x, const Variable<T>& weight, const Variable<T>& bias, std::size_t stride,
                   std::size_t padding = 0) {
  return conv2d(x, weight, bias, {stride, stride}, {padding, padding});
}

}  // namespace tg
