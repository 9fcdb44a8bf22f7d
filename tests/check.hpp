// Shared helpers for the test files: gradcheck assertions and value comparisons.
#pragma once

#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <sstream>
#include <string>

#include <tapegrad/tapegrad.hpp>
#include <xtensor/xrandom.hpp>

namespace tgtest {

// The folder of a dataset that scripts/setup.sh provides (MNIST under $TAPEGRAD_DATA_DIR, Debian's
// Fashion-MNIST). The README's test command runs setup first, so a missing dataset fails the test
// that needs it, saying how to get it; none passes by skipping.
inline std::string require_dataset(const std::string& name, const std::string& dir) {
  if (!std::filesystem::is_directory(dir)) {
    const std::string message = name + " not found in " + dir + ": run scripts/setup.sh, which installs it there";
    FAIL(message);
  }
  return dir;
}

// Asserts gradcheck passes, printing its report when it does not.
#define CHECK_GRADCHECK(...)                                \
  do {                                                      \
    const auto tg_result_ = ::tg::gradcheck(__VA_ARGS__);   \
    CHECK_MESSAGE(tg_result_.ok, tg_result_.message);       \
  } while (0)

// A float64 leaf of the given shape with reproducible values in [lo, hi).
inline tg::Variable<double> rand_var(const tg::Shape& shape, unsigned seed, double lo = -1.0, double hi = 1.0,
                                     bool requires_grad = true) {
  std::mt19937 eng(seed);
  tg::Array<double> v = xt::random::rand<double>(shape, lo, hi, eng);
  return tg::Variable<double>(std::move(v), requires_grad);
}

// A float64 leaf that needs no gradient, from literal values.
inline tg::Variable<double> var(tg::Array<double> values) { return tg::Variable<double>(std::move(values)); }

// A float parameter: a leaf that requires its gradient.
inline tg::Variable<float> param(tg::Array<float> value) { return tg::Variable<float>(std::move(value), true); }

// The values as a column, shape (n, 1) (a braced {{a}, {b}} is ambiguous to xtensor).
template <class A>
A column(A values) {
  values.reshape({values.size(), 1});
  return values;
}

// The message of the tg::Error that f throws ("" when it throws none).
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const tg::Error& e) {
    return e.what();
  }
  return "";
}

inline bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
// A tensor's values as float64, for comparing any dtype with tgtest::allclose.
inline tg::Array<double> as_double(const tg::Tensor& t) { return t.to(tg::kDouble).value<double>(); }

// A module as `std::cout << module` prints it.
inline std::string printed(const tg::nn::Module& m) {
  std::ostringstream out;
  out << m;
  return out.str();
}

// Constants the hand-computed expectations use.
inline const double ln2 = std::log(2.0), ln3 = std::log(3.0), ln4 = std::log(4.0), e = std::exp(1.0);

template <class A, class B>
bool allclose(const A& a, const B& b, double rtol = 1e-5, double atol = 1e-8) {
  return a.shape() == b.shape() && xt::allclose(a, b, rtol, atol);
}

}  // namespace tgtest
