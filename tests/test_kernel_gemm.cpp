// kernels::gemm (dot products along a long k for A·Bᵀ, else tiles of conv2d's micro-kernel)
// against a naive loop: every transpose combination, sizes on and off the vector width and the tile
// height, leading dimensions wider than the rows, and alpha/beta; with beta = 0, C's old values (NaN
// here) are never read.
#include <limits>

#include <tapegrad/kernels/dispatch.hpp>

#include "check.hpp"
#include "kernel_check.hpp"

namespace {

template <class T>
void check_gemm(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, T alpha, T beta) {
  const std::size_t lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 2, ldc = n + 5;
  const std::vector<T> a = tgtest::random_buffer<T>((ta ? k : m) * lda, unsigned(m * 7 + k));
  const std::vector<T> b = tgtest::random_buffer<T>((tb ? n : k) * ldb, unsigned(n * 11 + k));
  std::vector<T> c = beta == T(0) ? std::vector<T>(m * ldc, std::numeric_limits<T>::quiet_NaN())
                                  : tgtest::random_buffer<T>(m * ldc, unsigned(m + n));
  std::vector<long double> want(c.begin(), c.end());  // the padding past n left alone
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      long double s = 0;
      for (std::size_t p = 0; p < k; ++p)
        s += static_cast<long double>(ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
      want[i * ldc + j] = alpha * s + (beta == T(0) ? 0 : beta * want[i * ldc + j]);
    }
  tg::kernels::gemm(ta, tb, m, n, k, alpha, a.data(), lda, b.data(), ldb, beta, c.data(), ldc);
  for (std::size_t i = 0; i < m; ++i)  // NaN padding compares unequal: copy it over
    for (std::size_t j = n; j < ldc; ++j)
      if (c[i * ldc + j] != c[i * ldc + j]) want[i * ldc + j] = 0, c[i * ldc + j] = 0;
  tgtest::check_near(c, want,
                     "gemm " + std::string(ta ? "T" : "N") + (tb ? "T" : "N") + " m=" + std::to_string(m) +
                         " n=" + std::to_string(n) + " k=" + std::to_string(k) + " beta=" + std::to_string(beta));
}

template <class T>
void check_gemms() {
  for (const bool ta : {false, true})
    for (const bool tb : {false, true})
      for (const std::size_t m : {0, 1, 5, 13, 64})
        for (const std::size_t n : {0, 1, 7, 16, 17, 50, 65})
          for (const std::size_t k : {0, 1, 9, 70, 300}) {  // 300: the dot products at every level
            check_gemm<T>(ta, tb, m, n, k, T(1), T(0));
            check_gemm<T>(ta, tb, m, n, k, T(0.5), T(-2));
          }
}

}  // namespace

TEST_CASE("gemm kernel: every transpose, ragged sizes, wide strides and alpha/beta, float") { check_gemms<float>(); }

TEST_CASE("gemm kernel: every transpose, ragged sizes, wide strides and alpha/beta, double") {
  check_gemms<double>();
}
