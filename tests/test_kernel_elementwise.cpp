// kernels/elementwise.hpp against the C library in long double, at lengths around the vector widths,
// over a wide range of values and at the edges: ±inf, NaN, exp's overflow and underflow.
#include <tapegrad/kernels/dispatch.hpp>

#include <cmath>
#include <limits>

#include "check.hpp"
#include "kernel_check.hpp"

namespace {

constexpr std::size_t kElementwiseLengths[] = {0, 1, 3, 7, 8, 9, 15, 16, 17, 33, 100};

template <class T, class Kernel, class Naive>
void check_map(const char* name, Kernel kernel, Naive naive, T scale, T shift) {
  for (const std::size_t n : kElementwiseLengths) {
    std::vector<T> x = tgtest::random_buffer<T>(n, unsigned(n + 11));
    for (T& v : x) v = v * scale + shift;
    std::vector<T> y(n);
    std::vector<long double> want(n);
    for (std::size_t k = 0; k < n; ++k) want[k] = naive(static_cast<long double>(x[k]));
    kernel(x.data(), n, y.data());
    tgtest::check_near(y, want, std::string(name) + " n=" + std::to_string(n));
  }
}

template <class T>
void check_maps() {
  check_map<T>("map_exp", tg::kernels::map_exp<T>, [](long double v) { return std::exp(v); }, T(20), T(0));
  check_map<T>("map_log", tg::kernels::map_log<T>, [](long double v) { return std::log(v); }, T(50), T(51));
  check_map<T>("map_tanh", tg::kernels::map_tanh<T>, [](long double v) { return std::tanh(v); }, T(10), T(0));
  check_map<T>("map_sigmoid", tg::kernels::map_sigmoid<T>, [](long double v) { return 1 / (1 + std::exp(-v)); },
               T(30), T(0));
}

// Edge values in every lane position: a vector of them and a scalar tail.
template <class T>
void check_edges() {
  const T inf = std::numeric_limits<T>::infinity(), nan = std::numeric_limits<T>::quiet_NaN();
  const std::vector<T> x{inf, -inf, nan, T(1000), T(-1000), T(0), inf, -inf, nan, T(1000), T(-1000), T(0),
                         inf, -inf, nan, T(1000), T(-1000), T(0)};
  std::vector<T> y(x.size());
  tg::kernels::map_exp(x.data(), x.size(), y.data());
  for (std::size_t k = 0; k < x.size(); k += 6) {
    CHECK(y[k] == inf);
    CHECK(y[k + 1] == 0);
    CHECK(std::isnan(y[k + 2]));
    CHECK(y[k + 3] == inf);
    CHECK(y[k + 4] == 0);
    CHECK(y[k + 5] == 1);
  }
  tg::kernels::map_sigmoid(x.data(), x.size(), y.data());
  for (std::size_t k = 0; k < x.size(); k += 6) {
    CHECK(y[k] == 1);
    CHECK(y[k + 1] == 0);
    CHECK(std::isnan(y[k + 2]));
    CHECK(y[k + 3] == 1);
    CHECK(y[k + 4] == 0);
    CHECK(y[k + 5] == T(0.5));
  }
  tg::kernels::map_tanh(x.data(), x.size(), y.data());
  for (std::size_t k = 0; k < x.size(); k += 6) {
    CHECK(y[k] == 1);
    CHECK(y[k + 1] == -1);
    CHECK(std::isnan(y[k + 2]));
    CHECK(y[k + 3] == 1);
    CHECK(y[k + 4] == -1);
    CHECK(y[k + 5] == 0);
  }
  tg::kernels::map_log(x.data(), x.size(), y.data());
  for (std::size_t k = 0; k < x.size(); k += 6) {
    CHECK(y[k] == inf);
    CHECK(std::isnan(y[k + 1]));
    CHECK(std::isnan(y[k + 2]));
    CHECK(std::isnan(y[k + 4]));
    CHECK(y[k + 5] == -inf);
  }
}

}  // namespace

TEST_CASE("map_exp, map_log, map_tanh, map_sigmoid: against the C library, float and double") {
  check_maps<float>();
  check_maps<double>();
}

TEST_CASE("map_exp, map_log, map_tanh, map_sigmoid: infinities, NaN, overflow and underflow in every position") {
  check_edges<float>();
  check_edges<double>();
}

namespace {

template <class T>
void check_bytes_affine() {
  for (const std::size_t n : {0, 1, 15, 16, 17, 63, 64, 65, 784}) {
    std::vector<std::uint8_t> x(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<std::uint8_t>((i * 37 + 11) % 256);
    const T a = T(1) / T(255) / T(0.3081), b = -T(0.1307) / T(0.3081);
    std::vector<T> y(n + 1, T(-7));  // one past the end, left alone
    std::vector<long double> want(y.begin(), y.end());
    for (std::size_t i = 0; i < n; ++i) want[i] = static_cast<long double>(x[i]) * a + b;
    tg::kernels::map_bytes_affine(x.data(), n, a, b, y.data());
    tgtest::check_near(y, want, "map_bytes_affine n=" + std::to_string(n));
  }
}

}  // namespace

TEST_CASE("map_bytes_affine: bytes scaled and shifted, every byte value, float and double, against a naive loop") {
  check_bytes_affine<float>();
  check_bytes_affine<double>();
}
