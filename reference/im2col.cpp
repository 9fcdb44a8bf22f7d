#include <tapegrad/reference/im2col.hpp>

#include <cstddef>

namespace tg::manual {
namespace {

// Calls inside(index into cols, index into the image) for every element of cols whose tap falls inside
// the image, and outside(index into cols) for each tap on the padding, in cols' order.
template <class Inside, class Outside>
void for_each_tap(const Conv2dGeometry& g, Inside inside, Outside outside) {
  std::size_t k = 0;
  for (std::size_t c = 0; c < g.channels; ++c)
    for (std::size_t i = 0; i < g.kernel_h; ++i)
      for (std::size_t j = 0; j < g.kernel_w; ++j)
        for (std::size_t oh = 0; oh < g.out_h; ++oh)
          for (std::size_t ow = 0; ow < g.out_w; ++ow, ++k) {
            // (hp, wp): the tap's pixel in the padded image; the real image starts at (pad_h, pad_w).
            const std::size_t hp = oh * g.stride_h + i, wp = ow * g.stride_w + j;
            if (hp < g.pad_h || hp - g.pad_h >= g.height || wp < g.pad_w || wp - g.pad_w >= g.width)
              outside(k);
            else
              inside(k, (c * g.height + hp - g.pad_h) * g.width + wp - g.pad_w);
          }
}

}  // namespace

template <class T>
void im2col(const T* image, const Conv2dGeometry& g, T* cols) {
  for_each_tap(
      g, [&](std::size_t k, std::size_t pixel) { cols[k] = image[pixel]; }, [&](std::size_t k) { cols[k] = T(0); });
}

template <class T>
void col2im(const T* cols, const Conv2dGeometry& g, T* image) {
  for_each_tap(
      g, [&](std::size_t k, std::size_t pixel) { image[pixel] += cols[k]; }, [](std::size_t) {});
}

template void im2col<float>(const float*, const Conv2dGeometry&, float*);
template void im2col<double>(const double*, const Conv2dGeometry&, double*);
template void col2im<float>(const float*, const Conv2dGeometry&, float*);
template void col2im<double>(const double*, const Conv2dGeometry&, double*);

}  // namespace tg::manual
