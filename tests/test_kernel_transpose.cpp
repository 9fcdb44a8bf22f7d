// kernels::transpose (8x8 AVX blocks for float, element by element for double and the ragged edges)
// against a naive loop, with strides wider than the rows.
#include <tapegrad/kernels/dispatch.hpp>

#include "check.hpp"
#include "kernel_check.hpp"

namespace {

template <class T>
void check_transpose() {
  for (const std::size_t rows : {0, 1, 7, 8, 9, 16, 23})
    for (const std::size_t cols : {0, 1, 5, 8, 15, 17}) {
      const std::size_t src_stride = cols + 3, dst_stride = rows + 2;
      const std::vector<T> src = tgtest::random_buffer<T>(rows * src_stride, unsigned(rows * 100 + cols));
      std::vector<T> dst(cols * dst_stride, T(-7));
      std::vector<long double> want(dst.begin(), dst.end());  // padding between rows left alone
      for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < cols; ++j) want[j * dst_stride + i] = src[i * src_stride + j];
      tg::kernels::transpose(src.data(), rows, cols, src_stride, dst.data(), dst_stride);
      tgtest::check_near(dst, want, "transpose " + std::to_string(rows) + "x" + std::to_string(cols));
    }
}

}  // namespace

TEST_CASE("transpose: float (8x8 blocks and ragged edges) and double, strided, against a naive loop") {
  check_transpose<float>();
  check_transpose<double>();
}
