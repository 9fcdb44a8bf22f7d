// Randomness for init, shuffling and dropout: one engine per thread, seeded by tg::manual_seed.
// Never xtensor's shared static engine, which is not thread-safe.
#pragma once

#include <cstdint>
#include <random>

#include <tapegrad/core/array.hpp>

namespace tg {

// Seeds this thread's engine: every later init, shuffle and draw repeats exactly.
void manual_seed(std::uint64_t seed);
// This thread's engine (default seed 0 until manual_seed).
std::mt19937_64& generator();

// T is named, never deduced (tg::randn<float>(shape)), so that tg::randn({2, 3}, tg::kDouble) is the
// Tensor factory (core/factories.hpp).
template <class T> using Element = typename Array<T>::value_type;
template <class T> Array<T> randn(const Shape& shape, Element<T> mean = T(0), Element<T> std = T(1));     // normal
template <class T> Array<T> rand_uniform(const Shape& shape, Element<T> low = T(0), Element<T> high = T(1));  // U[low, high)

}  // namespace tg
