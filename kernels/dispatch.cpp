#include <tapegrad/kernels/dispatch.hpp>

#include <cstdlib>

#include <tapegrad/core/array.hpp>
#include <tapegrad/core/simd_level.hpp>

// Each level's copy of the kernels (kernels/table.cpp, compiled once per level).
namespace tg::kernels::sse2 {
extern const KernelTable<float> float_table;
extern const KernelTable<double> double_table;
}  // namespace tg::kernels::sse2
namespace tg::kernels::avx2 {
extern const KernelTable<float> float_table;
extern const KernelTable<double> double_table;
}  // namespace tg::kernels::avx2
namespace tg::kernels::avx512 {
extern const KernelTable<float> float_table;
extern const KernelTable<double> double_table;
}  // namespace tg::kernels::avx512

namespace tg {
namespace {

constexpr SimdLevel kLevels[] = {SimdLevel::SSE2, SimdLevel::AVX2, SimdLevel::AVX512};

const kernels::KernelTables kTables[] = {
    {&kernels::sse2::float_table, &kernels::sse2::double_table},
    {&kernels::avx2::float_table, &kernels::avx2::double_table},
    {&kernels::avx512::float_table, &kernels::avx512::double_table},
};

// The CPU's features as each level's copy was compiled for them (CMakeLists.txt,
// TAPEGRAD_SIMD_FLAGS_*). __builtin_cpu_supports also asks whether the OS saves the vector registers.
bool cpu_supports(SimdLevel level) {
  __builtin_cpu_init();
  switch (level) {
    case SimdLevel::SSE2:
      return true;
    case SimdLevel::AVX2:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case SimdLevel::AVX512:
      return cpu_supports(SimdLevel::AVX2) && __builtin_cpu_supports("avx512f") &&
             __builtin_cpu_supports("avx512cd") && __builtin_cpu_supports("avx512bw") &&
             __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
  }
  return false;
}

std::string level_list(const std::vector<SimdLevel>& levels) {
  std::string s;
  for (const SimdLevel l : levels) s += std::string(s.empty() ? "" : ", ") + to_string(l);
  return s;
}

const kernels::KernelTables& tables_for(SimdLevel level, const std::string& asked_by) {
  if (!cpu_supports(level))
    throw Error(asked_by + ": this CPU does not support " + std::string(to_string(level)) + " (it supports " +
                level_list(supported_simd_levels()) + ")");
  return kTables[static_cast<int>(level)];
}

}  // namespace

namespace kernels::detail {

std::atomic<const KernelTables*> active_tables{nullptr};

const KernelTables& choose_tables() {
  const char* env = std::getenv("TAPEGRAD_SIMD");
  const KernelTables* t;
  if (env && *env) {
    const std::string asked_by = std::string("TAPEGRAD_SIMD=") + env;
    SimdLevel level;
    try {
      level = simd_level_from_string(env);
    } catch (const Error& e) {
      throw Error(asked_by + ": " + e.what());
    }
    t = &tables_for(level, asked_by);
  } else {
    t = &kTables[static_cast<int>(supported_simd_levels().back())];
  }
  active_tables.store(t, std::memory_order_release);
  return *t;
}

}  // namespace kernels::detail

SimdLevel simd_level() {
  const kernels::KernelTables* active = kernels::detail::active_tables.load(std::memory_order_acquire);
  if (!active) active = &kernels::detail::choose_tables();
  return kLevels[active - kTables];
}

void set_simd_level(SimdLevel level) {
  kernels::detail::active_tables.store(&tables_for(level, "set_simd_level"), std::memory_order_release);
}

std::vector<SimdLevel> supported_simd_levels() {
  std::vector<SimdLevel> levels;
  for (const SimdLevel l : kLevels)
    if (cpu_supports(l)) levels.push_back(l);
  return levels;
}

const char* to_string(SimdLevel level) {
  switch (level) {
    case SimdLevel::SSE2:
      return "sse2";
    case SimdLevel::AVX2:
      return "avx2";
    case SimdLevel::AVX512:
      return "avx512";
  }
  throw Error("to_string: not a SimdLevel (" + std::to_string(static_cast<int>(level)) + ")");
}

SimdLevel simd_level_from_string(const std::string& name) {
  for (const SimdLevel l : kLevels)
    if (name == to_string(l)) return l;
  throw Error("simd level '" + name + "' is not one of " + level_list({std::begin(kLevels), std::end(kLevels)}));
}

}  // namespace tg
