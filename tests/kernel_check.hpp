// Helpers for the kernel tests: reproducible raw buffers, and an element-wise comparison of a
// kernel's output (float or double) with a naive loop's, computed in long double.
#pragma once

#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "random_buffer.hpp"

namespace tgtest {

// |got - want| <= tol * (1 + |want|) everywhere, tol set by T's precision; the first failing index is
// reported.
template <class T>
void check_near(const std::vector<T>& got, const std::vector<long double>& want, const std::string& what) {
  const long double tol = sizeof(T) == 4 ? 2e-5L : 1e-12L;
  REQUIRE_MESSAGE(got.size() == want.size(), what);
  for (std::size_t i = 0; i < got.size(); ++i)
    if (!(std::fabs(static_cast<long double>(got[i]) - want[i]) <= tol * (1 + std::fabs(want[i])))) {
      FAIL_CHECK(what << ": element " << i << " is " << got[i] << ", expected " << static_cast<double>(want[i]));
      return;
    }
}

}  // namespace tgtest
