// avg_pool2d and adaptive_avg_pool2d: the mean of each window of each channel, over (N, C, H, W)
// batches; the gradient of a window's mean goes equally to every input it covered.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include <tapegrad/core/variable.hpp>

namespace tg {

// torch::avg_pool2d. x (N, C, H, W) -> (N, C, OH, OW), OH = (H + 2·padding - kh) / stride + 1, rounded
// up instead of down with ceil_mode (a window must still start inside the input or its left padding).
// Padding (zeros) is at most half the kernel. Each window is divided by divisor_override when given,
// else by its size counting padding (count_include_pad) or not.
template <class T>
Variable<T> avg_pool2d(const Variable<T>& x, std::array<std::size_t, 2> kernel, std::array<std::size_t, 2> stride,
                       std::array<std::size_t, 2> padding = {0, 0}, bool ceil_mode = false,
                       bool count_include_pad = true, std::optional<std::int64_t> divisor_override = std::nullopt);

// stride = kernel: avg_pool2d(x, {2, 2}).
template <class T>
Variable<T> avg_pool2d(const Variable<T>& x, std::array<std::size_t, 2> kernel) {
  return avg_pool2d(x, kernel, kernel);
}

// Square windows: avg_pool2d(x, 2), avg_pool2d(x, 3, 2, 1).
template <class T>
Variable<T> avg_pool2d(const Variable<T>& x, std::size_t kernel, std::size_t stride, std::size_t padding = 0) {
  return avg_pool2d(x, {kernel, kernel}, {stride, stride}, {padding, padding});
}
template <class T>
Variable<T> avg_pool2d(const Variable<T>& x, std::size_t kernel) {
  return avg_pool2d(x, kernel, kernel);
}

// torch::adaptive_avg_pool2d: x (N, C, H, W) or (C, H, W) -> output_size (OH, OW) in the last two
// dims; window i along H spans [floor(i·H/OH), ceil((i+1)·H/OH)), and likewise along W.
template <class T>
Variable<T> adaptive_avg_pool2d(const Variable<T>& x, std::array<std::size_t, 2> output_size);

}  // namespace tg
