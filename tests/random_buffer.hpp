// Reproducible raw buffers for the kernel tests, uniform in [-1, 1). Free of doctest: the per-level
// kernel test object (kernel_tiles_per_level.cpp) includes it too.
#pragma once

#include <cstddef>
#include <random>
#include <vector>

namespace tgtest {

template <class T>
std::vector<T> random_buffer(std::size_t n, unsigned seed) {
  std::mt19937 eng(seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::vector<T> v(n);
  for (T& x : v) x = static_cast<T>(u(eng));
  return v;
}

}  // namespace tgtest
