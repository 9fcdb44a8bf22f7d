// The one SIMD vector type every kernel uses: xsimd's batch for the instruction set the library is
// compiled for, and its number of lanes.
#pragma once

#include <cstddef>

#include <xsimd/xsimd.hpp>

namespace tg::kernels {

template <class T>
using Vec = xsimd::batch<T>;

template <class T>
constexpr std::size_t kLanes = Vec<T>::size;

}  // namespace tg::kernels
