// tg::TensorAccessor: what Tensor::accessor<T, N>() returns, as LibTorch's: element access by
// a[i][j] into a tensor of N dims and element type T, both checked once when it is made, none per
// element (an index out of range is undefined behaviour, as LibTorch's).
//
//   auto a = t.accessor<float, 2>();
//   for (std::int64_t i = 0; i < a.size(0); ++i) a[i][i] = 1;
//
// Writes go into the tensor's buffer, outside autograd: fill data with it, not a graph's values.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace tg {

template <class T, std::size_t N>
class TensorAccessor {
  static_assert(N >= 1, "TensorAccessor: N must be at least 1");

 public:
  TensorAccessor(T* data, const std::array<std::int64_t, N>& sizes, const std::array<std::int64_t, N>& strides)
      : data_(data), sizes_(sizes), strides_(strides) {}

  // Row i: an accessor of N - 1 dims, or the element itself when N is 1.
  decltype(auto) operator[](std::int64_t i) const {
    if constexpr (N == 1) {
      return static_cast<T&>(data_[i * strides_[0]]);
    } else {
      std::array<std::int64_t, N - 1> sizes, strides;
      for (std::size_t d = 1; d < N; ++d) sizes[d - 1] = sizes_[d], strides[d - 1] = strides_[d];
      return TensorAccessor<T, N - 1>(data_ + i * strides_[0], sizes, strides);
    }
  }
  std::int64_t size(std::size_t dim) const { return sizes_[dim]; }
  std::int64_t stride(std::size_t dim) const { return strides_[dim]; }
  T* data() const { return data_; }

 private:
  T* data_;
  std::array<std::int64_t, N> sizes_, strides_;
};

}  // namespace tg
