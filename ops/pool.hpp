// max_pool2d: the largest value of each window of each channel; its gradient goes to that value alone.
#pragma once

#include <array>
#include <cstddef>

#include <tapegrad/core/variable.hpp>

namespace tg {

// x (N, C, H, W) -> (N, C, OH, OW), windows as in conv2d. Padding counts as -infinity and may be at
// most half the kernel (so no window is all padding). On ties the first maximum (row-major) wins;
// a NaN in a window wins over any number, as in LibTorch.
template <class T>
Variable<T> max_pool2d(const Variable<T>& x, std::array<std::size_t, 2> kernel, std::array<std::size_t, 2> stride,
                       std::array<std::size_t, 2> padding = {0, 0});

// stride = kernel: non-overlapping windows.
template <class T>
Variable<T> max_pool2d(const Variable<T>& x, std::array<std::size_t, 2> kernel) {
  return max_pool2d(x, kernel, kernel);
}

// Square windows: max_pool2d(x, 2), max_pool2d(x, 3, 2, 1).
template <class T>
Variable<T> max_pool2d(const Variable<T>& x, std::size_t kernel, std::size_t stride, std::size_t padding = 0) {
  return max_pool2d(x, {kernel, kernel}, {stride, stride}, {padding, padding});
}

template <class T>
Variable<T> max_pool2d(const Variable<T>& x, std::size_t kernel) {
  return max_pool2d(x, kernel, kernel);
}

}  // namespace tg
