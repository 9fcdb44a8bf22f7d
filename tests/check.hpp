// Shared helpers for the test files: gradcheck assertions and value comparisons.
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
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

template <class A, class B>
bool allclose(const A& a, const B& b, double rtol = 1e-5, double atol = 1e-8) {
  return a.shape() == b.shape() && xt::allclose(a, b, rtol, atol);
}

}  // namespace tgtest
