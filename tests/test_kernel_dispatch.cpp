// The SIMD level the kernels run on (core/simd_level.hpp): chosen by TAPEGRAD_SIMD when ctest forces
// one (kernels_on_<level>), switched by set_simd_level, and refused, naming the levels, when unknown
// or unsupported.
#include <cstdlib>

#include <tapegrad/core/simd_level.hpp>
#include <tapegrad/kernels/dispatch.hpp>

#include "check.hpp"

namespace {

std::size_t float_lanes(tg::SimdLevel level) {
  switch (level) {
    case tg::SimdLevel::SSE2:
      return 4;
    case tg::SimdLevel::AVX2:
      return 8;
    case tg::SimdLevel::AVX512:
      return 16;
  }
  return 0;
}

// Puts the level in use back when a test case has changed it.
struct RestoreLevel {
  tg::SimdLevel saved = tg::simd_level();
  ~RestoreLevel() { tg::set_simd_level(saved); }
};

}  // namespace

TEST_CASE("simd level: TAPEGRAD_SIMD when set, else the best level the CPU supports") {
  const std::vector<tg::SimdLevel> supported = tg::supported_simd_levels();
  REQUIRE(!supported.empty());
  CHECK(supported.front() == tg::SimdLevel::SSE2);
  const char* env = std::getenv("TAPEGRAD_SIMD");
  const tg::SimdLevel want = env && *env ? tg::simd_level_from_string(env) : supported.back();
  CHECK(tg::simd_level() == want);
  CHECK(tg::kernels::active<float>().lanes == float_lanes(want));
  CHECK(tg::kernels::active<double>().lanes == float_lanes(want) / 2);
}

TEST_CASE("simd level: set_simd_level switches the kernels to each supported level's copy") {
  RestoreLevel restore;
  for (const tg::SimdLevel level : tg::supported_simd_levels()) {
    tg::set_simd_level(level);
    CHECK(tg::simd_level() == level);
    CHECK(tg::kernels::active<float>().lanes == float_lanes(level));
    const float x[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
    CHECK(tg::kernels::row_sum(x, 17) == 153.f);
  }
}

TEST_CASE("simd level: names round-trip, an unknown name or an unsupported level is a tg::Error") {
  for (const tg::SimdLevel level : {tg::SimdLevel::SSE2, tg::SimdLevel::AVX2, tg::SimdLevel::AVX512})
    CHECK(tg::simd_level_from_string(tg::to_string(level)) == level);
  CHECK_THROWS_WITH_AS(tg::simd_level_from_string("avx3"), "simd level 'avx3' is not one of sse2, avx2, avx512",
                       tg::Error);
  CHECK_THROWS_AS(tg::simd_level_from_string("AVX2"), tg::Error);
  const std::vector<tg::SimdLevel> supported = tg::supported_simd_levels();
  if (supported.back() != tg::SimdLevel::AVX512) {  // only a CPU without AVX-512 can refuse it
    RestoreLevel restore;
    CHECK_THROWS_AS(tg::set_simd_level(tg::SimdLevel::AVX512), tg::Error);
  }
}
