#include <tapegrad/kernels/conv2d_geometry.hpp>

#include <algorithm>
#include <string>

#include <tapegrad/core/array.hpp>

namespace tg::kernels {
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

ConvOffsets conv_offsets(const Conv2dGeometry& g, std::size_t channels, std::size_t scale) {
  ConvOffsets t;
  const std::size_t Hp = g.padded_height(), Wp = g.padded_width();
  for (std::size_t c = 0; c < channels; ++c)
    for (std::size_t i = 0; i < g.kernel_h; ++i)
      for (std::size_t j = 0; j < g.kernel_w; ++j) t.tap.push_back(((c * Hp + i) * Wp + j) * scale);
  for (std::size_t oh = 0; oh < g.out_h; ++oh)
    for (std::size_t ow = 0; ow < g.out_w; ++ow) t.position.push_back((oh * g.stride_h * Wp + ow * g.stride_w) * scale);
  return t;
}

template <class T>
void pad_images(const T* x, const Conv2dGeometry& g, std::size_t images, T* padded) {
  // One fill, then the rows: writing only the border took many tiny fills, and was slower.
  const std::size_t Hp = g.padded_height(), Wp = g.padded_width();
  std::fill(padded, padded + images * g.padded_image_size(), T(0));
  for (std::size_t plane = 0; plane < images * g.channels; ++plane)
    for (std::size_t h = 0; h < g.height; ++h)
      std::copy_n(x + (plane * g.height + h) * g.width, g.width, padded + (plane * Hp + h + g.pad_h) * Wp + g.pad_w);
}

template void pad_images<float>(const float*, const Conv2dGeometry&, std::size_t, float*);
template void pad_images<double>(const double*, const Conv2dGeometry&, std::size_t, double*);

}  // namespace tg::kernels
