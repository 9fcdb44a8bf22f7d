// The conv2d kernels' ceiling at one SIMD level: the core's vector FMA rate, and the shared
// micro-kernel (tile_product) alone on data in L1 at both tile shapes, in vector FMAs per ns.
// kernel_ceiling.cpp is compiled once per level it is measured at (benchmarks/CMakeLists.txt).
#pragma once

#include <cstddef>

struct KernelCeiling {
  std::size_t lanes;  // floats a vector
  double fma_peak, tile_12x1, tile_6x2;
};

namespace tg::kernels::avx2 {
KernelCeiling measure_ceiling();
}
namespace tg::kernels::avx512 {
KernelCeiling measure_ceiling();
}
