// kernels/normalization.hpp against naive loops, at lengths around the vector width.
#include <tapegrad/kernels/dispatch.hpp>

#include "check.hpp"
#include "kernel_check.hpp"

namespace {

constexpr std::size_t kNormalizationLengths[] = {0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 100, 1025};

template <class T>
void check_normalization_kernels() {
  for (const std::size_t n : kNormalizationLengths) {
    const std::string at = " n=" + std::to_string(n);
    const std::vector<T> x = tgtest::random_buffer<T>(n, unsigned(n)), g = tgtest::random_buffer<T>(n, unsigned(n + 1));
    const T mean = T(0.25), a = T(1.5), b = T(-0.5), c = T(0.75);
    long double sq = 0, sum = 0, dot = 0;
    std::vector<long double> affine(n), affine2(n);
    for (std::size_t k = 0; k < n; ++k) {
      sq += (static_cast<long double>(x[k]) - mean) * (static_cast<long double>(x[k]) - mean);
      sum += g[k];
      dot += static_cast<long double>(g[k]) * x[k];
      affine[k] = static_cast<long double>(a) * x[k] + b;
      affine2[k] = static_cast<long double>(a) * g[k] + static_cast<long double>(b) * x[k] + c;
    }
    tgtest::check_near(std::vector<T>{tg::kernels::row_centered_sumsq(x.data(), n, mean)}, {sq}, "row_centered_sumsq" + at);
    const auto [s, d] = tg::kernels::row_sum_and_dot(g.data(), x.data(), n);
    tgtest::check_near(std::vector<T>{s, d}, {sum, dot}, "row_sum_and_dot" + at);
    std::vector<T> y(n);
    tg::kernels::row_affine(x.data(), n, a, b, y.data());
    tgtest::check_near(y, affine, "row_affine" + at);
    tg::kernels::row_affine2(g.data(), x.data(), n, a, b, c, y.data());
    tgtest::check_near(y, affine2, "row_affine2" + at);
  }
}

}  // namespace

TEST_CASE("kernels: normalization row kernels against naive loops, float and double") {
  check_normalization_kernels<float>();
  check_normalization_kernels<double>();
}
