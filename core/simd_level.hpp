// The instruction set tapegrad's kernels run on (conv2d's products, the softmax, normalisation and
// sum rows). The library holds a copy of them for each level and, by default, runs the best one the
// CPU has; the rest of the library is built for the x86-64 baseline, so one binary runs on any
// x86-64 machine. LibTorch does the same with ATen's CPU capability (ATEN_CPU_CAPABILITY).
#pragma once

#include <string>
#include <vector>

namespace tg {

enum class SimdLevel {
  SSE2,    // the x86-64 baseline
  AVX2,    // AVX2 and FMA (x86-64-v3's vector units)
  AVX512,  // AVX-512 F, CD, BW, DQ and VL (x86-64-v4's)
};

// The level in use. Until set_simd_level is called, the one named by the environment variable
// TAPEGRAD_SIMD (sse2, avx2 or avx512) when it is set, else the best this CPU supports; throws
// tg::Error for a TAPEGRAD_SIMD that is not a level or that this CPU does not support.
SimdLevel simd_level();
// Runs the kernels on `level` from now on; throws tg::Error if this CPU does not support it. Call it
// between operations, not while another thread runs one.
void set_simd_level(SimdLevel level);
// The levels this CPU supports, lowest first (SSE2 always).
std::vector<SimdLevel> supported_simd_levels();
// "sse2", "avx2", "avx512", as TAPEGRAD_SIMD takes them.
const char* to_string(SimdLevel level);
// The level named `name` as to_string writes it; throws tg::Error naming `name` and the levels.
SimdLevel simd_level_from_string(const std::string& name);

}  // namespace tg
