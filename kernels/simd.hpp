// The one SIMD vector type every kernel uses: xsimd's batch for the instruction set its translation
// unit is compiled for, and its number of lanes.
//
// The kernels are compiled once per instruction set (CMakeLists.txt: TAPEGRAD_SIMD_LEVELS), each time
// inside its own namespace tg::kernels::TG_SIMD_ARCH (sse2, avx2, avx512), so that the copies never
// share a symbol; kernels/dispatch.hpp calls the copy the CPU runs best. Code outside kernels/
// includes kernels/dispatch.hpp, never this.
#pragma once

#include <cstddef>

#include <xsimd/xsimd.hpp>

#ifndef TG_SIMD_ARCH
#error "kernels/simd.hpp is compiled per instruction set (TG_SIMD_ARCH); include kernels/dispatch.hpp instead"
#endif

namespace tg::kernels::TG_SIMD_ARCH {

template <class T>
using Vec = xsimd::batch<T>;

template <class T>
constexpr std::size_t kLanes = Vec<T>::size;

}  // namespace tg::kernels::TG_SIMD_ARCH
