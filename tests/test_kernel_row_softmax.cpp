// The softmax family's row kernels against naive loops in long double, at lengths around the vector
// width: row_logsumexp, row_scaled_exp (overwrite and accumulate), row_dot.
#include <tapegrad/kernels/dispatch.hpp>

#include <cmath>
#include <limits>

#include "check.hpp"
#include "kernel_check.hpp"

namespace {

constexpr std::size_t kSoftmaxLengths[] = {1, 2, 3, 7, 8, 9, 15, 16, 17, 33, 100};

template <class T>
void check_rows() {
  for (const std::size_t n : kSoftmaxLengths) {
    const std::string at = " n=" + std::to_string(n);
    std::vector<T> x = tgtest::random_buffer<T>(n, unsigned(n));
    for (T& v : x) v *= T(20);  // logits over a wide range
    const std::vector<T> y0 = tgtest::random_buffer<T>(n, unsigned(n + 1));
    long double m = -INFINITY, s = 0, dot = 0;
    for (const T v : x) m = std::max<long double>(m, v);
    for (const T v : x) s += std::exp(static_cast<long double>(v) - m);
    const long double lse = m + std::log(s);
    for (std::size_t k = 0; k < n; ++k) dot += static_cast<long double>(x[k]) * y0[k];

    const tg::kernels::RowLse<T> got = tg::kernels::row_logsumexp(x.data(), n);
    tgtest::check_near(std::vector<T>{got.value()}, {lse}, "row_logsumexp" + at);
    tgtest::check_near(std::vector<T>{tg::kernels::row_dot(x.data(), y0.data(), n)}, {dot}, "row_dot" + at);

    const T scale = T(0.75);
    for (const bool accumulate : {false, true}) {
      std::vector<T> y = y0;
      std::vector<long double> want(n);
      for (std::size_t k = 0; k < n; ++k)
        want[k] = (accumulate ? y0[k] : 0) + scale * std::exp(static_cast<long double>(x[k]) - lse);
      tg::kernels::row_scaled_exp(x.data(), got, scale, y.data(), n, accumulate);
      tgtest::check_near(y, want, std::string("row_scaled_exp") + (accumulate ? " (+=)" : "") + at);
    }
  }
}

}  // namespace

TEST_CASE("row softmax kernels: logsumexp, scaled exp, dot, float and double, against naive loops") {
  check_rows<float>();
  check_rows<double>();
}

TEST_CASE("row_logsumexp: an empty row is -inf, +inf and NaN pass through, +-1000 stays finite") {
  const float inf = std::numeric_limits<float>::infinity();
  CHECK(tg::kernels::row_logsumexp<float>(nullptr, 0).value() == -inf);
  const float with_inf[9] = {0, 1, 2, inf, 4, 5, 6, 7, 8};
  CHECK(tg::kernels::row_logsumexp(with_inf, 9).value() == inf);
  const float with_nan[9] = {0, 1, 2, 3, 4, 5, 6, 7, std::nanf("")};
  CHECK(std::isnan(tg::kernels::row_logsumexp(with_nan, 9).value()));
  const float big[2] = {1000, 1000};
  CHECK(tg::kernels::row_logsumexp(big, 2).value() == doctest::Approx(1000 + std::log(2.0)));
}
