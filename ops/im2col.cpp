#include <tapegrad/ops/im2col.hpp>

#include <algorithm>
#include <string>
#include <type_traits>
#include <vector>

#include <tapegrad/core/array.hpp>

namespace tg {
namespace {

std::string pair_str(std::size_t a, std::size_t b) { return shape_str(std::array<std::size_t, 2>{a, b}); }

}  // namespace

Conv2dGeometry conv2d_geometry(const char* op, std::size_t channels, std::size_t height, std::size_t width,
                               std::array<std::size_t, 2> kernel, std::array<std::size_t, 2> stride,
                               std::array<std::size_t, 2> padding) {
  if (kernel[0] == 0 || kernel[1] == 0)
    throw Error(std::string(op) + ": kernel size " + pair_str(kernel[0], kernel[1]) + " must be positive");
  if (stride[0] == 0 || stride[1] == 0)
    throw Error(std::string(op) + ": stride " + pair_str(stride[0], stride[1]) + " must be positive");
  const auto padded = [&](std::size_t size, std::size_t pad) {
    std::size_t n = 0;
    if (__builtin_mul_overflow(pad, 2, &n) || __builtin_add_overflow(n, size, &n))
      throw Error(std::string(op) + ": padding " + pair_str(padding[0], padding[1]) + " of the input " +
                  pair_str(height, width) + " overflows a 64-bit size");
    return n;
  };
  const std::size_t padded_h = padded(height, padding[0]), padded_w = padded(width, padding[1]);
  checked_numel({channels, padded_h, padded_w}, op);  // one padded image; the output plane is smaller
  if (kernel[0] > padded_h || kernel[1] > padded_w)
    throw Error(std::string(op) + ": kernel " + pair_str(kernel[0], kernel[1]) + " is larger than the padded input " +
                pair_str(padded_h, padded_w) + " (input " + pair_str(height, width) + ", padding " +
                pair_str(padding[0], padding[1]) + ")");
  return {channels,   height,     width,      kernel[0], kernel[1],
          stride[0],  stride[1],  padding[0], padding[1],
          (padded_h - kernel[0]) / stride[0] + 1, (padded_w - kernel[1]) / stride[1] + 1};
}

namespace {

bool has_padding(const Conv2dGeometry& g) { return g.pad_h > 0 || g.pad_w > 0; }

// The image with its zero border written out, so that every kernel tap reads in bounds and the copy
// loops need no range checks. A per-thread buffer: im2col is called once per image.
template <class T>
const T* zero_padded(const T* image, const Conv2dGeometry& g) {
  if (!has_padding(g)) return image;
  thread_local std::vector<T> buffer;
  const std::size_t Hp = g.padded_height(), Wp = g.padded_width();
  buffer.assign(g.channels * Hp * Wp, T(0));
  for (std::size_t c = 0; c < g.channels; ++c)
    for (std::size_t h = 0; h < g.height; ++h)
      std::copy_n(image + (c * g.height + h) * g.width, g.width, buffer.data() + (c * Hp + h + g.pad_h) * Wp + g.pad_w);
  return buffer.data();
}


// The copy loops take the column stride as a template argument for the common 1 and 2: with a
// literal stride the compiler vectorises the short rows and drops the per-row stride dispatch.
// (The geometry is copied into locals: the loops then keep every counter in a register.)
template <class T, class Stride>
void im2col_rows(const T* padded, const Conv2dGeometry& g, Stride stride_w, T* cols) {
  const std::size_t Wp = g.padded_width(), plane = g.padded_height() * Wp, row_step = g.stride_h * Wp;
  const std::size_t OH = g.out_h, OW = g.out_w, C = g.channels, KH = g.kernel_h, KW = g.kernel_w;
  for (std::size_t c = 0; c < C; ++c)
    for (std::size_t ki = 0; ki < KH; ++ki)
      for (std::size_t kj = 0; kj < KW; ++kj, cols += OH * OW) {
        // Row (c, ki, kj) of cols: the pixel under tap (ki, kj) for each output position, in order.
        const T* tap = padded + c * plane + ki * Wp + kj;
        for (std::size_t oh = 0; oh < OH; ++oh) {
          const T* src = tap + oh * row_step;
          T* dst = cols + oh * OW;
          for (std::size_t ow = 0; ow < OW; ++ow) dst[ow] = src[ow * stride_w];
        }
      }
}

template <class T, class Stride>
void col2im_rows(const T* cols, const Conv2dGeometry& g, Stride stride_w, T* padded) {
  const std::size_t Wp = g.padded_width(), plane = g.padded_height() * Wp, row_step = g.stride_h * Wp;
  const std::size_t OH = g.out_h, OW = g.out_w, C = g.channels, KH = g.kernel_h, KW = g.kernel_w;
  for (std::size_t c = 0; c < C; ++c)
    for (std::size_t ki = 0; ki < KH; ++ki)
      for (std::size_t kj = 0; kj < KW; ++kj, cols += OH * OW) {
        T* tap = padded + c * plane + ki * Wp + kj;
        for (std::size_t oh = 0; oh < OH; ++oh) {
          T* dst = tap + oh * row_step;
          const T* src = cols + oh * OW;
          for (std::size_t ow = 0; ow < OW; ++ow) dst[ow * stride_w] += src[ow];
        }
      }
}

template <std::size_t S>
using Literal = std::integral_constant<std::size_t, S>;

}  // namespace

template <class T>
void im2col(const T* image, const Conv2dGeometry& g, T* cols) {
  const T* padded = zero_padded(image, g);
  if (g.stride_w == 1) return im2col_rows(padded, g, Literal<1>(), cols);
  if (g.stride_w == 2) return im2col_rows(padded, g, Literal<2>(), cols);
  im2col_rows(padded, g, g.stride_w, cols);
}

template <class T>
void col2im(const T* cols, const Conv2dGeometry& g, T* image) {
  // With padding, scatter into a zeroed padded buffer, then add its interior: taps on the border drop.
  thread_local std::vector<T> buffer;
  const std::size_t Hp = g.padded_height(), Wp = g.padded_width();
  T* target = image;
  if (has_padding(g)) {
    buffer.assign(g.channels * Hp * Wp, T(0));
    target = buffer.data();
  }
  if (g.stride_w == 1)
    col2im_rows(cols, g, Literal<1>(), target);
  else if (g.stride_w == 2)
    col2im_rows(cols, g, Literal<2>(), target);
  else
    col2im_rows(cols, g, g.stride_w, target);
  if (target == image) return;
  for (std::size_t c = 0; c < g.channels; ++c)
    for (std::size_t h = 0; h < g.height; ++h) {
      const T* src = target + (c * Hp + h + g.pad_h) * Wp + g.pad_w;
      T* dst = image + (c * g.height + h) * g.width;
      for (std::size_t w = 0; w < g.width; ++w) dst[w] += src[w];
    }
}

template void im2col<float>(const float*, const Conv2dGeometry&, float*);
template void im2col<double>(const double*, const Conv2dGeometry&, double*);
template void col2im<float>(const float*, const Conv2dGeometry&, float*);
template void col2im<double>(const double*, const Conv2dGeometry&, double*);

}  // namespace tg
