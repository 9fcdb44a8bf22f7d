// im2col / col2im, and the convolution geometry that conv2d and max_pool2d share. No tape.
//
// im2col lays every receptive field of one image out as a column, so a convolution becomes one GEMM:
//   out (O, OH*OW) = weight (O, C*kh*kw) · cols (C*kh*kw, OH*OW)
// Row (c, i, j) of cols holds, for every output position, the input pixel under kernel tap (i, j) of
// channel c (zero where that tap falls on the padding). col2im is its transpose: it scatter-ADDS
// each column back onto the pixels it was read from, which is how a convolution's input gradient is
// formed. The manual reference (manual_backward.hpp) runs on these; the tape's conv2d reads the same
// matrix in place instead of writing it out (ops/detail/conv2d_kernels.hpp).
#pragma once

#include <array>
#include <cstddef>

namespace tg {

struct Conv2dGeometry {
  std::size_t channels, height, width;
  std::size_t kernel_h, kernel_w;
  std::size_t stride_h, stride_w;
  std::size_t pad_h, pad_w;
  std::size_t out_h, out_w;

  std::size_t image_size() const { return channels * height * width; }
  std::size_t patch_size() const { return channels * kernel_h * kernel_w; }  // rows of cols
  std::size_t out_size() const { return out_h * out_w; }                      // columns of cols
  std::size_t padded_height() const { return height + 2 * pad_h; }
  std::size_t padded_width() const { return width + 2 * pad_w; }
};

// Fills in out_h = (height + 2*pad_h - kernel_h) / stride_h + 1 (and likewise out_w). Throws tg::Error
// naming `op` for a zero kernel or stride, or a kernel larger than the padded input.
Conv2dGeometry conv2d_geometry(const char* op, std::size_t channels, std::size_t height, std::size_t width,
                               std::array<std::size_t, 2> kernel, std::array<std::size_t, 2> stride,
                               std::array<std::size_t, 2> padding);

// image (C, H, W) -> cols (C*kh*kw, OH*OW); every element of cols is written.
template <class T>
void im2col(const T* image, const Conv2dGeometry& g, T* cols);

// cols (C*kh*kw, OH*OW) is added into image (C, H, W); padding taps are dropped. Zero image first
// for a plain transpose of im2col.
template <class T>
void col2im(const T* cols, const Conv2dGeometry& g, T* image);

}  // namespace tg
