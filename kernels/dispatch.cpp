#include <tapegrad/kernels/dispatch.hpp>

#include <cstdlib>
#include <type_traits>

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

using kernels::KernelTable;

constexpr SimdLevel kLevels[] = {SimdLevel::SSE2, SimdLevel::AVX2, SimdLevel::AVX512};

// AVX-512's conv2d products run only where the channels they run along fill its vectors (16 floats,
// 8 doubles): below that, padding the channels to a whole vector wastes lanes, and AVX2's copy is
// faster (docs/performance.md). The forward and dW run along the output channels, dX along the input's.
template <class T>
bool fills_avx512(std::size_t channels) {
  return channels >= 64 / sizeof(T);
}
template <class T>
const KernelTable<T>& by_width(std::size_t channels) {
  if constexpr (std::is_same_v<T, float>)
    return fills_avx512<T>(channels) ? kernels::avx512::float_table : kernels::avx2::float_table;
  else
    return fills_avx512<T>(channels) ? kernels::avx512::double_table : kernels::avx2::double_table;
}
template <class T>
void avx512_conv2d_forward(const T* padded, const T* w, const T* bias, const kernels::Conv2dGeometry& g, std::size_t N,
                           std::size_t O, T* out) {
  by_width<T>(O).conv2d_forward(padded, w, bias, g, N, O, out);
}
template <class T>
void avx512_conv2d_weight_grad(const T* padded, const T* dy, const kernels::Conv2dGeometry& g, std::size_t N,
                               std::size_t O, T* dw, bool fresh) {
  by_width<T>(O).conv2d_weight_grad(padded, dy, g, N, O, dw, fresh);
}
template <class T>
void avx512_conv2d_input_grad(const T* dy, const T* w, const kernels::Conv2dGeometry& g, std::size_t N, std::size_t O,
                              T* dx, bool fresh) {
  by_width<T>(g.channels).conv2d_input_grad(dy, w, g, N, O, dx, fresh);
}
template <class T>
KernelTable<T> avx512_table(const KernelTable<T>& wide) {
  KernelTable<T> t = wide;
  t.conv2d_forward = &avx512_conv2d_forward<T>;
  t.conv2d_weight_grad = &avx512_conv2d_weight_grad<T>;
  t.conv2d_input_grad = &avx512_conv2d_input_grad<T>;
  return t;
}

// Built on first use: the per-level tables are other objects' constants.
const kernels::KernelTables& tables(SimdLevel level) {
  static const KernelTable<float> avx512_float = avx512_table(kernels::avx512::float_table);
  static const KernelTable<double> avx512_double = avx512_table(kernels::avx512::double_table);
  static const kernels::KernelTables all[] = {
      {&kernels::sse2::float_table, &kernels::sse2::double_table},
      {&kernels::avx2::float_table, &kernels::avx2::double_table},
      {&avx512_float, &avx512_double},
  };
  return all[static_cast<int>(level)];
}

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
  return tables(level);
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
    t = &tables(supported_simd_levels().back());
  }
  active_tables.store(t, std::memory_order_release);
  return *t;
}

}  // namespace kernels::detail

SimdLevel simd_level() {
  const kernels::KernelTables* active = kernels::detail::active_tables.load(std::memory_order_acquire);
  if (!active) active = &kernels::detail::choose_tables();
  for (const SimdLevel l : kLevels)
    if (active == &tables(l)) return l;
  throw Error("simd_level: the kernel tables in use are no level's");
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
