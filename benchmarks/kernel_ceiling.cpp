// Plain arrays, no std containers: this file is compiled for AVX2 or AVX-512, and an inline std::
// function emitted here could stand in for the baseline one elsewhere in the program.
#include "kernel_ceiling.hpp"

#include <chrono>

#include <tapegrad/kernels/conv2d_tiles.hpp>

namespace tg::kernels::TG_SIMD_ARCH {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Billions of vector FMAs a second from 12 independent accumulators: the core's peak.
double fma_peak() {
  volatile float in[2] = {1.0001f, 0.9999f};
  const Vec<float> x(in[0]), y(in[1]);
  Vec<float> acc[12];
  for (Vec<float>& a : acc) a = Vec<float>(0.f);
  const long steps = 50'000'000;
  const auto t0 = Clock::now();
  for (long i = 0; i < steps; ++i)
    for (Vec<float>& a : acc) a = xsimd::fma(x, y, a);
  const double t = seconds_since(t0);
  float sink = 0;
  for (const Vec<float>& a : acc) sink += a.get(0);
  return sink > 0 ? steps * 12.0 / t * 1e-9 : 0;
}

constexpr std::size_t kSteps = 72;
float pixels[4096];
float weights[kSteps * 2 * 16];
std::size_t offsets[kSteps];

// The same for tile_product with R rows by V vectors, over kSteps steps reading scattered pixels.
template <std::size_t R, std::size_t V>
double tile_product_rate() {
  for (float& p : pixels) p = 1.f;
  for (float& w : weights) w = 0.5f;
  for (std::size_t k = 0; k < kSteps; ++k) offsets[k] = k * 37 % 3000;
  const float* src[R];
  for (std::size_t r = 0; r < R; ++r) src[r] = pixels + 2 * r;
  Vec<float> acc[R][V];
  zero(acc);
  const long calls = 20'000'000 / static_cast<long>(kSteps);
  const auto t0 = Clock::now();
  for (long i = 0; i < calls; ++i) {
    tile_product(src, offsets, kSteps, weights, V * kLanes<float>, acc);
    asm volatile("" ::: "memory");  // a call is a call: nothing is carried over or merged between them
  }
  const double t = seconds_since(t0);
  float sink = 0;
  for (const auto& row : acc)  // every accumulator is used, so that none is optimised away
    for (const Vec<float>& a : row) sink += a.get(0);
  return sink > 0 ? calls * kSteps * R * V / t * 1e-9 : 0;
}

}  // namespace

KernelCeiling measure_ceiling() {
  return {kLanes<float>, fma_peak(), tile_product_rate<12, 1>(), tile_product_rate<6, 2>()};
}

}  // namespace tg::kernels::TG_SIMD_ARCH
