// tg::nn::Size2: a (height, width) pair for kernel sizes, strides and paddings, given as one number
// for both (5 -> 5x5) or as {height, width} — LibTorch's ExpandingArray<2>.
#pragma once

#include <array>
#include <cstddef>
#include <ostream>

#include <tapegrad/core/int_array_ref.hpp>

namespace tg::nn {

struct Size2 {
  Size2(std::size_t both) : value{both, both} {}  // NOLINT: implicit on purpose, Conv2d(1, 10, 5)
  Size2(std::size_t height, std::size_t width) : value{height, width} {}

  operator std::array<std::size_t, 2>() const { return value; }  // what the typed functional ops take
  operator IntArrayRef() const {  // what the Tensor ops take
    return {static_cast<std::int64_t>(value[0]), static_cast<std::int64_t>(value[1])};
  }
  std::size_t operator[](std::size_t i) const { return value[i]; }
  bool operator==(const Size2& other) const { return value == other.value; }

  std::array<std::size_t, 2> value;
};

// "[5, 5]", as LibTorch prints an ExpandingArray.
inline std::ostream& operator<<(std::ostream& stream, const Size2& size) {
  return stream << "[" << size[0] << ", " << size[1] << "]";
}

}  // namespace tg::nn
