// The geometry of a 2-D window over (C, H, W) images, shared by conv2d, max_pool2d and the im2col
// reference: sizes, the zero-padded image, and the offset tables that address a patch matrix in place.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

namespace tg::kernels {

struct Conv2dGeometry {
  std::size_t channels, height, width;
  std::size_t kernel_h, kernel_w;
  std::size_t stride_h, stride_w;
  std::size_t pad_h, pad_w;
  std::size_t out_h, out_w;

  std::size_t image_size() const { return channels * height * width; }
  std::size_t patch_size() const { return channels * kernel_h * kernel_w; }  // taps of one window
  std::size_t out_size() const { return out_h * out_w; }                      // windows of one image
  std::size_t padded_height() const { return height + 2 * pad_h; }
  std::size_t padded_width() const { return width + 2 * pad_w; }
  std::size_t padded_image_size() const { return channels * padded_height() * padded_width(); }
};

// Fills in out_h = (height + 2*pad_h - kernel_h) / stride_h + 1 (and likewise out_w). Throws tg::Error
// naming `op` for a zero kernel or stride, or a kernel larger than the padded input.
Conv2dGeometry conv2d_geometry(const char* op, std::size_t channels, std::size_t height, std::size_t width,
                               std::array<std::size_t, 2> kernel, std::array<std::size_t, 2> stride,
                               std::array<std::size_t, 2> padding);

// In im2col form a convolution's patch matrix is cols[k][q] = xpad[tap[k] + position[q]]: tap
// k = (c, i, j) of the kernel and output position q = (oh, ow) are offsets into the zero-padded
// image. Both tables in elements of a (C, Hp, Wp) image, times `scale` (the channel count of a
// channels-last image, 1 for a channels-first one).
struct ConvOffsets {
  std::vector<std::size_t> tap;       // (c, i, j) -> (c*Hp + i)*Wp + j, c < `channels`
  std::vector<std::size_t> position;  // (oh, ow) -> oh*stride_h*Wp + ow*stride_w
};

ConvOffsets conv_offsets(const Conv2dGeometry& g, std::size_t channels, std::size_t scale);

// images (N, C, H, W) -> (N, C, Hp, Wp) with the zero border written out.
template <class T>
void pad_images(const T* x, const Conv2dGeometry& g, std::size_t images, T* padded);

}  // namespace tg::kernels
