#include <tapegrad/ops/pool.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>

#include <tapegrad/core/grad_mode.hpp>
#include <tapegrad/core/tape.hpp>
#include <tapegrad/kernels/conv2d_geometry.hpp>

namespace tg {

namespace {

// One (H, W) plane -> out (OH, OW) and, per output, the plane index of its maximum.
template <class T>
void max_pool_plane(const T* src, const kernels::Conv2dGeometry& g, T* out, std::int32_t* argmax) {
  const std::size_t W = g.width;
  for (std::size_t oh = 0; oh < g.out_h; ++oh) {
    // The window clipped to the input: padding is -infinity, so it never wins.
    const std::size_t top = oh * g.stride_h, h_lo = std::max(top, g.pad_h) - g.pad_h;
    const std::size_t h_hi = std::min(top + g.kernel_h - g.pad_h, g.height);
    for (std::size_t ow = 0; ow < g.out_w; ++ow) {
      const std::size_t left = ow * g.stride_w, w_lo = std::max(left, g.pad_w) - g.pad_w;
      const std::size_t w_hi = std::min(left + g.kernel_w - g.pad_w, W);
      // Row-major order, strict '>': the first of equal maxima wins. A NaN wins over any number.
      std::size_t at = h_lo * W + w_lo;
      T best = src[at];
      for (std::size_t h = h_lo; h < h_hi; ++h)
        for (std::size_t w = w_lo; w < w_hi; ++w) {
          const T v = src[h * W + w];
          if (v > best || v != v) {
            best = v;
            at = h * W + w;
          }
        }
      out[oh * g.out_w + ow] = best;
      argmax[oh * g.out_w + ow] = static_cast<std::int32_t>(at);
    }
  }
}

}  // namespace

template <class T>
Variable<T> max_pool2d(const Variable<T>& x, std::array<std::size_t, 2> kernel, std::array<std::size_t, 2> stride,
                       std::array<std::size_t, 2> padding) {
  if (x.dim() != 4) throw Error("max_pool2d: expected input (N, C, H, W), got " + shape_str(x.shape()));
  if (x.shape()[2] == 0 || x.shape()[3] == 0)  // a window would then lie wholly in the padding
    throw Error("max_pool2d: expected input (N, C, H, W) with H, W >= 1, got " + shape_str(x.shape()));
  if (2 * padding[0] > kernel[0] || 2 * padding[1] > kernel[1])
    throw Error("max_pool2d: padding " + shape_str(padding) + " must be at most half the kernel " + shape_str(kernel));
  const Shape& xs = x.shape();
  const kernels::Conv2dGeometry g = kernels::conv2d_geometry("max_pool2d", xs[1], xs[2], xs[3], kernel, stride, padding);
  const std::size_t plane = g.height * g.width, L = g.out_size(), planes = xs[0] * xs[1];
  if (plane > std::size_t(std::numeric_limits<std::int32_t>::max()))
    throw Error("max_pool2d: input plane " + shape_str(xs) + " has more than 2^31 elements");

  checked_numel({xs[0], xs[1], g.out_h, g.out_w}, "max_pool2d");
  Array<T> out = Array<T>::from_shape({xs[0], xs[1], g.out_h, g.out_w});
  // Where each maximum came from, as an index into its (H, W) plane: all the backward needs. Without
  // a backward to come, one plane's worth of scratch.
  const bool track = GradMode::is_enabled() && x.requires_grad();
  std::shared_ptr<std::int32_t[]> argmax(new std::int32_t[track ? planes * L : L]);
  for (std::size_t p = 0; p < planes; ++p)
    max_pool_plane(x.value().data() + p * plane, g, out.data() + p * L, argmax.get() + (track ? p * L : 0));

  return record<T>("max_pool2d", std::move(out), {x},
                   [argmax, planes, plane, L](Array<T>& gy, Grads<T>& grads) {
                     T* dx = grads.zeroed_buffer(0);
                     const T* g = gy.data();
                     for (std::size_t p = 0; p < planes; ++p)
                       for (std::size_t k = 0; k < L; ++k) dx[p * plane + argmax[p * L + k]] += g[p * L + k];
                   });
}

template Variable<float> max_pool2d(const Variable<float>&, std::array<std::size_t, 2>, std::array<std::size_t, 2>,
                                    std::array<std::size_t, 2>);
template Variable<double> max_pool2d(const Variable<double>&, std::array<std::size_t, 2>, std::array<std::size_t, 2>,
                                     std::array<std::size_t, 2>);

}  // namespace tg
