// kernels::row_sum and kernels::column_sums against naive loops, at lengths around the vector width
// and the pairwise split, and the float sums that a running sum gets wrong.
#include <tapegrad/kernels/dispatch.hpp>

#include "check.hpp"
#include "kernel_check.hpp"

namespace {

constexpr std::size_t kSumLengths[] = {0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 100, 1023, 1024, 1025, 2049, 5000};

template <class T>
void check_row_sum() {
  for (const std::size_t n : kSumLengths) {
    const std::vector<T> x = tgtest::random_buffer<T>(n, unsigned(n));
    long double want = 0;
    for (const T v : x) want += v;
    tgtest::check_near(std::vector<T>{tg::kernels::row_sum(x.data(), n)}, {want}, "row_sum n=" + std::to_string(n));
  }
}

template <class T>
void check_column_sums() {
  for (const std::size_t rows : {0, 1, 3, 64, 128, 129, 300})
    for (const std::size_t cols : {1, 2, 7, 8, 9, 17})
      for (const bool fresh : {true, false}) {
        const std::vector<T> src = tgtest::random_buffer<T>(rows * cols, unsigned(rows * 31 + cols));
        std::vector<T> out = tgtest::random_buffer<T>(cols, 7);
        std::vector<long double> want(cols);
        for (std::size_t j = 0; j < cols; ++j) {
          want[j] = fresh ? 0 : out[j];
          for (std::size_t i = 0; i < rows; ++i) want[j] += src[i * cols + j];
        }
        tg::kernels::column_sums(src.data(), rows, cols, out.data(), fresh);
        tgtest::check_near(out, want,
                           "column_sums " + std::to_string(rows) + "x" + std::to_string(cols) + (fresh ? "" : " (+=)"));
      }
}

}  // namespace

TEST_CASE("row_sum: one contiguous row, float and double, against a naive sum") {
  check_row_sum<float>();
  check_row_sum<double>();
}

TEST_CASE("column_sums: the rows of a (rows, cols) block added, float and double, overwrite and accumulate") {
  check_column_sums<float>();
  check_column_sums<double>();
}

// A running float sum of 2^25 copies of 0.1f drifts by about 1% (each accumulator's ulp grows past the
// addend); summed pairwise it is within a few float ulps. The same values down a column, and through
// sum/mean. (2^28 ones show the same failure as a count stuck at 2^27: the cheaper case is used here.)
TEST_CASE("float sums stay accurate over 2^25 elements: sum, mean, sum over a dim") {
  const std::size_t n = std::size_t(1) << 25;
  const double want = double(n) * double(0.1f);
  tg::Array<float> x = tg::Array<float>::from_shape({n / 4, 4});
  std::fill(x.begin(), x.end(), 0.1f);
  CHECK(double(tg::kernels::row_sum(x.data(), n)) == doctest::Approx(want).epsilon(1e-6));
  const tg::Variable<float> v(std::move(x));
  CHECK(double(tg::sum(v).value()()) == doctest::Approx(want).epsilon(1e-6));
  CHECK(double(tg::mean(v).value()()) == doctest::Approx(0.1f).epsilon(1e-6));
  const tg::Array<float> per_column = tg::sum(v, {0}).value();
  for (std::size_t j = 0; j < 4; ++j) CHECK(double(per_column(j)) == doctest::Approx(want / 4).epsilon(1e-6));
}
