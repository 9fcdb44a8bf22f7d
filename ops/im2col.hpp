// im2col / col2im: the plain-tensor kernels under conv2d (and max_pool2d's window geometry). No tape.
//
// im2col lays every receptive field of one image out as a column, so a convolution becomes one GEMM:
//   out (O, OH*OW) = weight (O, C*kh*kw) · cols (C*kh*kw, OH*OW)
// Row (c, i, j) of cols holds, for every output position, the input pixel under kernel tap (i, j) of
// channel c (zero where that tap falls on the padding). col2im is its transpose: it scatter-ADDS
// each column back onto the pixels it was read from, which is how conv2d's input gradient is formed.
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
  // A 1x1 kernel with stride 1 and no padding: cols is the image itself, so im2col can be skipped.
  bool is_pointwise() const {
    return kernel_h == 1 && kernel_w == 1 && stride_h == 1 && stride_w == 1 && pad_h == 0 && pad_w == 0;
  }
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
