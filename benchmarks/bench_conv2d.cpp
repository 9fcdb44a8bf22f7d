// The MNIST CNN's three conv2d layers (batch 64), forward and backward, one at a time: tapegrad's
// implicit-im2col kernels at each SIMD level asked for, and torch::conv2d (oneDNN) when built with
// -DTAPEGRAD_WITH_LIBTORCH=ON, all alternating run by run. Median microseconds per
// batch. Then a larger layer at which oneDNN's kernels are at their best (an ImageNet stem: 7x7 stride
// 2, 3->64 channels on 224x224, batch 8), and the kernels' ceiling at AVX2 and AVX-512
// (benchmarks/kernel_ceiling.hpp).
//   usage: bench_conv2d [--repeat R>=1] [--threads N>=1] [--simd avx2,avx512]   (default: the level in use)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <tapegrad/tapegrad.hpp>

#include "cli.hpp"
#include "kernel_ceiling.hpp"
#include "progress.hpp"
#ifdef TAPEGRAD_WITH_LIBTORCH
#include "libtorch_peer.hpp"
#endif

namespace {

struct Layer {
  const char* name;
  std::size_t c, o, h, kernel, stride, padding;
  bool input_grad;  // the first layer's input is the data: no gradient, as in training
  std::size_t batch = 64;
};

struct Times {
  double forward_us, backward_us;
};

double median(std::vector<double> v) {
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

struct Row {
  std::vector<Times> tapegrad;  // one per level
  Times libtorch{0, 0};         // zero without the peer
};

// One layer at each level, and torch::conv2d with the peer, all taking turns run by run so that drift
// in the machine's speed reaches them alike; prints the layer's row.
Row time_and_print(const Layer& l, int repeat, const std::vector<tg::SimdLevel>& levels, int threads,
                   examples::Progress& progress) {
  progress.show("%s: %d runs each ...", l.name, repeat);
  using V = tg::Variable<float>;
  tg::manual_seed(1);
  V x(tg::randn<float>({l.batch, l.c, l.h, l.h}), l.input_grad);
  V w(tg::randn<float>({l.o, l.c, l.kernel, l.kernel}), true);
  V b(tg::randn<float>({l.o}), true);
  const std::size_t out = (l.h + 2 * l.padding - l.kernel) / l.stride + 1;
  const tg::Array<float> ones = xt::ones<float>({l.batch, l.o, out, out});
#ifdef TAPEGRAD_WITH_LIBTORCH
  peer::Conv2dLayer peer_layer(int(l.batch), int(l.c), int(l.o), int(l.h), int(l.kernel), int(l.stride),
                               int(l.padding), l.input_grad, threads);
#else
  (void)threads;
#endif
  // Forward and backward times: one list per level, then LibTorch's.
  std::vector<std::vector<double>> fwd(levels.size() + 1), bwd(levels.size() + 1);
  for (int r = 0; r < repeat; ++r) {
    for (std::size_t i = 0; i < levels.size(); ++i) {
      tg::set_simd_level(levels[i]);
      for (V* leaf : {&x, &w, &b}) leaf->zero_grad();
      const auto t0 = std::chrono::steady_clock::now();
      const V y = tg::conv2d(x, w, b, l.stride, l.padding);
      const auto t1 = std::chrono::steady_clock::now();
      y.backward(ones);
      const auto t2 = std::chrono::steady_clock::now();
      fwd[i].push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
      bwd[i].push_back(std::chrono::duration<double, std::micro>(t2 - t1).count());
    }
#ifdef TAPEGRAD_WITH_LIBTORCH
    const peer::ConvTimes p = peer_layer.run();
    fwd.back().push_back(p.forward_us);
    bwd.back().push_back(p.backward_us);
#endif
  }
  Row row;
  for (std::size_t i = 0; i < levels.size(); ++i) row.tapegrad.push_back({median(fwd[i]), median(bwd[i])});
  progress.clear();
  std::printf("%-30s", l.name);
  for (std::size_t i = 0; i < levels.size(); ++i)
    std::printf(" tapegrad %-6s fwd %6.1f bwd %6.1f", tg::to_string(levels[i]), row.tapegrad[i].forward_us,
                row.tapegrad[i].backward_us);
#ifdef TAPEGRAD_WITH_LIBTORCH
  row.libtorch = {median(fwd.back()), median(bwd.back())};
  std::printf(" | LibTorch fwd %6.1f bwd %6.1f", row.libtorch.forward_us, row.libtorch.backward_us);
#endif
  std::printf("\n");
  return row;
}

// tapegrad's speed at each level as a multiple of LibTorch's, forward and backward together.
void print_speed(const std::vector<Times>& tapegrad, const Times& libtorch, const std::vector<tg::SimdLevel>& levels) {
  for (std::size_t i = 0; i < levels.size(); ++i)
    std::printf(" tapegrad %s/LibTorch speed: %.2fx", tg::to_string(levels[i]),
                (libtorch.forward_us + libtorch.backward_us) / (tapegrad[i].forward_us + tapegrad[i].backward_us));
}

struct Config {
  int repeat, threads;
  std::vector<tg::SimdLevel> levels;  // none: the level in use
};

// The levels of a comma-separated list such as "avx2,avx512"; a usage error names a level that is no
// level's name or that this CPU cannot run.
std::vector<tg::SimdLevel> parse_levels(const std::string& list) {
  const std::vector<tg::SimdLevel> supported = tg::supported_simd_levels();
  std::vector<tg::SimdLevel> levels;
  for (std::size_t at = 0; at <= list.size();) {
    const std::size_t comma = std::min(list.find(',', at), list.size());
    const std::string name = list.substr(at, comma - at);
    try {
      levels.push_back(tg::simd_level_from_string(name));
    } catch (const tg::Error& e) {
      throw boost::program_options::error("--simd: '" + list + "': " + e.what());
    }
    if (std::find(supported.begin(), supported.end(), levels.back()) == supported.end()) {
      std::string runs;
      for (const tg::SimdLevel l : supported) runs += (runs.empty() ? "" : ", ") + std::string(tg::to_string(l));
      throw boost::program_options::error("--simd: this CPU cannot run " + name + " (it runs " + runs + ")");
    }
    at = comma + 1;
  }
  return levels;
}

std::optional<Config> parse(int argc, char** argv) {
  namespace po = boost::program_options;
  Config c;
  po::options_description opts(
      "bench_conv2d: the MNIST CNN's conv2d layers and an ImageNet stem, forward and backward, at each SIMD\n"
      "level asked for (and against torch::conv2d, when built with LibTorch)\n\nOptions");
  opts.add_options()
    ("help,h", "print this help and exit")
    ("repeat", po::value(&c.repeat)->default_value(500), "runs of each MNIST layer (the median is printed; the stem "
                                                         "runs repeat/20, at least 3)")
    ("threads", po::value(&c.threads)->default_value(1), "threads of tapegrad's pool and of LibTorch")
    ("simd", po::value<std::string>()->notifier([&c](const std::string& list) { c.levels = parse_levels(list); }),
     "SIMD levels to time, comma-separated from sse2, avx2, avx512 (default: the level in use)");
  if (!examples::parse_options(opts, argc, argv)) return std::nullopt;
  examples::check_at_least("--repeat", c.repeat, 1);
  examples::check_at_least("--threads", c.threads, 1);
  return c;
}

int run(const Config& c) {
  const int repeat = c.repeat, threads = c.threads;
  const std::vector<tg::SimdLevel> levels = c.levels.empty() ? std::vector<tg::SimdLevel>{tg::simd_level()} : c.levels;
  tg::set_num_threads(threads);
  const Layer layers[] = {{"Conv2d(1,8,5,s2,p2) on 28x28", 1, 8, 28, 5, 2, 2, false},
                          {"Conv2d(8,16,3,s2,p1) on 14x14", 8, 16, 14, 3, 2, 1, true},
                          {"Conv2d(16,32,3,s2,p1) on 7x7", 16, 32, 7, 3, 2, 1, true}};
  std::printf("batch 64, %d thread(s), median of %d runs, microseconds per batch\n", threads, repeat);
  std::vector<Times> tg_total(levels.size(), Times{0, 0});
  Times lt_total{0, 0};
  examples::Progress progress;  // a status line on a terminal, nothing when piped
  for (const Layer& l : layers) {
    const Row row = time_and_print(l, repeat, levels, threads, progress);
    for (std::size_t i = 0; i < levels.size(); ++i) {
      tg_total[i].forward_us += row.tapegrad[i].forward_us;
      tg_total[i].backward_us += row.tapegrad[i].backward_us;
    }
    lt_total.forward_us += row.libtorch.forward_us;
    lt_total.backward_us += row.libtorch.backward_us;
  }
  std::printf("%-30s", "all three");
  for (std::size_t i = 0; i < levels.size(); ++i)
    std::printf(" tapegrad %-6s fwd %6.1f bwd %6.1f", tg::to_string(levels[i]), tg_total[i].forward_us,
                tg_total[i].backward_us);
#ifdef TAPEGRAD_WITH_LIBTORCH
  std::printf(" | LibTorch fwd %6.1f bwd %6.1f |", lt_total.forward_us, lt_total.backward_us);
  print_speed(tg_total, lt_total, levels);
#endif
  std::printf("\n\n");

  const Layer stem{"Conv2d(3,64,7,s2,p3) on 224x224", 3, 64, 224, 7, 2, 3, false, 8};
  const int stem_repeat = std::max(3, repeat / 20);
  std::printf("batch 8, median of %d runs\n", stem_repeat);
  const Row row = time_and_print(stem, stem_repeat, levels, threads, progress);
#ifdef TAPEGRAD_WITH_LIBTORCH
  std::printf("%-30s", "");
  print_speed(row.tapegrad, row.libtorch, levels);
  std::printf("\n");
#endif
  for (const tg::SimdLevel level : levels) {
    if (level == tg::SimdLevel::SSE2) continue;
    const KernelCeiling c = level == tg::SimdLevel::AVX2 ? tg::kernels::avx2::measure_ceiling()
                                                         : tg::kernels::avx512::measure_ceiling();
    std::printf("%s vector FMAs (%zu floats) per ns: core peak %.2f; tile_product 12x1 (%zu channels) %.2f, 6x2 (%zu) %.2f\n",
                tg::to_string(level), c.lanes, c.fma_peak, c.lanes, c.tile_12x1, 2 * c.lanes, c.tile_6x2);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return examples::run_main<Config>("bench_conv2d", argc, argv, parse, run); }
