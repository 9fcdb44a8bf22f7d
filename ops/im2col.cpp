#include <tapegrad/ops/im2col.hpp>

#include <algorithm>
#include <cstring>
#include <string>

#include <tapegrad/core/tensor.hpp>

namespace tg {
namespace {

std::string pair_str(std::size_t a, std::size_t b) { return shape_str(std::array<std::size_t, 2>{a, b}); }

// The output positions o in [lo, hi) at which kernel tap `tap` lands on the input (not the padding):
// 0 <= o*stride + tap - pad < in. Computed once per tap, so the copy loops carry no bounds checks.
struct TapRange {
  std::size_t lo, hi;
};

TapRange tap_range(std::size_t tap, std::size_t pad, std::size_t stride, std::size_t in, std::size_t out) {
  const std::size_t lo = pad > tap ? (pad - tap + stride - 1) / stride : 0;
  const std::size_t hi = in + pad > tap ? (in + pad - tap + stride - 1) / stride : 0;
  const std::size_t h = std::min(hi, out);
  return {std::min(lo, h), h};
}

}  // namespace

Conv2dGeometry conv2d_geometry(const char* op, std::size_t channels, std::size_t height, std::size_t width,
                               std::array<std::size_t, 2> kernel, std::array<std::size_t, 2> stride,
                               std::array<std::size_t, 2> padding) {
  if (kernel[0] == 0 || kernel[1] == 0)
    throw Error(std::string(op) + ": kernel size " + pair_str(kernel[0], kernel[1]) + " must be positive");
  if (stride[0] == 0 || stride[1] == 0)
    throw Error(std::string(op) + ": stride " + pair_str(stride[0], stride[1]) + " must be positive");
  const std::size_t padded_h = height + 2 * padding[0], padded_w = width + 2 * padding[1];
  if (kernel[0] > padded_h || kernel[1] > padded_w)
    throw Error(std::string(op) + ": kernel " + pair_str(kernel[0], kernel[1]) + " is larger than the padded input " +
                pair_str(padded_h, padded_w) + " (input " + pair_str(height, width) + ", padding " +
                pair_str(padding[0], padding[1]) + ")");
  return {channels,   height,     width,      kernel[0], kernel[1],
          stride[0],  stride[1],  padding[0], padding[1],
          (padded_h - kernel[0]) / stride[0] + 1, (padded_w - kernel[1]) / stride[1] + 1};
}

template <class T>
void im2col(const T* image, const Conv2dGeometry& g, T* cols) {
  const std::size_t H = g.height, W = g.width, OH = g.out_h, OW = g.out_w;
  for (std::size_t c = 0; c < g.channels; ++c) {
    const T* plane = image + c * H * W;
    for (std::size_t ki = 0; ki < g.kernel_h; ++ki) {
      const TapRange rows = tap_range(ki, g.pad_h, g.stride_h, H, OH);
      for (std::size_t kj = 0; kj < g.kernel_w; ++kj, cols += OH * OW) {
        const TapRange cs = tap_range(kj, g.pad_w, g.stride_w, W, OW);
        std::fill(cols, cols + rows.lo * OW, T(0));
        for (std::size_t oh = rows.lo; oh < rows.hi; ++oh) {
          T* dst = cols + oh * OW;
          std::fill(dst, dst + cs.lo, T(0));
          if (cs.hi > cs.lo) {
            const T* src = plane + (oh * g.stride_h + ki - g.pad_h) * W + (cs.lo * g.stride_w + kj - g.pad_w);
            if (g.stride_w == 1) {
              std::memcpy(dst + cs.lo, src, (cs.hi - cs.lo) * sizeof(T));
            } else {
              for (std::size_t k = 0, n = cs.hi - cs.lo; k < n; ++k) dst[cs.lo + k] = src[k * g.stride_w];
            }
          }
          std::fill(dst + cs.hi, dst + OW, T(0));
        }
        std::fill(cols + rows.hi * OW, cols + OH * OW, T(0));
      }
    }
  }
}

template <class T>
void col2im(const T* cols, const Conv2dGeometry& g, T* image) {
  const std::size_t H = g.height, W = g.width, OH = g.out_h, OW = g.out_w;
  for (std::size_t c = 0; c < g.channels; ++c) {
    T* plane = image + c * H * W;
    for (std::size_t ki = 0; ki < g.kernel_h; ++ki) {
      const TapRange rows = tap_range(ki, g.pad_h, g.stride_h, H, OH);
      for (std::size_t kj = 0; kj < g.kernel_w; ++kj, cols += OH * OW) {
        const TapRange cs = tap_range(kj, g.pad_w, g.stride_w, W, OW);
        if (cs.hi == cs.lo) continue;  // this tap only ever lands on the padding
        for (std::size_t oh = rows.lo; oh < rows.hi; ++oh) {
          const T* src = cols + oh * OW + cs.lo;
          T* dst = plane + (oh * g.stride_h + ki - g.pad_h) * W + (cs.lo * g.stride_w + kj - g.pad_w);
          for (std::size_t k = 0, n = cs.hi - cs.lo; k < n; ++k) dst[k * g.stride_w] += src[k];
        }
      }
    }
  }
}

template void im2col<float>(const float*, const Conv2dGeometry&, float*);
template void im2col<double>(const double*, const Conv2dGeometry&, double*);
template void col2im<float>(const float*, const Conv2dGeometry&, float*);
template void col2im<double>(const double*, const Conv2dGeometry&, double*);

}  // namespace tg
