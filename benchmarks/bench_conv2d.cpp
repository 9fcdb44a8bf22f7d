// The MNIST CNN's three conv2d layers (batch 64), forward and backward, one at a time: tapegrad's
// implicit-im2col kernels, and torch::conv2d (oneDNN) in the same run when built with
// -DTAPEGRAD_WITH_LIBTORCH=ON. Median microseconds per batch. Then the kernels' ceiling: the core's
// FMA rate, and the shared micro-kernel alone on data in L1 at both tile shapes.
//   usage: bench_conv2d [--repeat R] [--threads N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <tapegrad/kernels/conv2d_tiles.hpp>
#include <tapegrad/tapegrad.hpp>
#ifdef TAPEGRAD_WITH_LIBTORCH
#include "libtorch_peer.hpp"
#endif

namespace {

struct Layer {
  const char* name;
  std::size_t c, o, h, kernel, stride, padding;
  bool input_grad;  // the first layer's input is the data: no gradient, as in training
};

constexpr std::size_t kBatch = 64;

struct Times {
  double forward_us, backward_us;
};

double median(std::vector<double> v) {
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

Times tapegrad_us(const Layer& l, int repeat) {
  using V = tg::Variable<float>;
  tg::manual_seed(1);
  V x(tg::randn<float>({kBatch, l.c, l.h, l.h}), l.input_grad);
  V w(tg::randn<float>({l.o, l.c, l.kernel, l.kernel}), true);
  V b(tg::randn<float>({l.o}), true);
  const std::size_t out = (l.h + 2 * l.padding - l.kernel) / l.stride + 1;
  const tg::Array<float> ones = xt::ones<float>({kBatch, l.o, out, out});
  std::vector<double> fwd, bwd;
  for (int r = 0; r < repeat; ++r) {
    for (V* leaf : {&x, &w, &b}) leaf->zero_grad();
    const auto t0 = std::chrono::steady_clock::now();
    const V y = tg::conv2d(x, w, b, l.stride, l.padding);
    const auto t1 = std::chrono::steady_clock::now();
    y.backward(ones);
    const auto t2 = std::chrono::steady_clock::now();
    fwd.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    bwd.push_back(std::chrono::duration<double, std::micro>(t2 - t1).count());
  }
  return {median(fwd), median(bwd)};
}

using Vec = tg::kernels::Vec<float>;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Billions of vector FMAs a second from 12 independent accumulators: the core's peak.
double fma_peak() {
  const std::vector<float> in{1.0001f, 0.9999f};
  const Vec x(in[0]), y(in[1]);
  Vec acc[12];
  for (Vec& a : acc) a = Vec(0.f);
  const long steps = 50'000'000;
  const auto t0 = Clock::now();
  for (long i = 0; i < steps; ++i)
    for (Vec& a : acc) a = xsimd::fma(x, y, a);
  const double t = seconds_since(t0);
  float sink = 0;
  for (const Vec& a : acc) sink += a.get(0);
  return sink > 0 ? steps * 12.0 / t * 1e-9 : 0;
}

// The same for tile_product with R rows by V vectors, over K steps reading scattered pixels.
template <std::size_t R, std::size_t V>
double tile_product_rate(std::size_t K) {
  const std::vector<float> pixels(4096, 1.f), w(K * V * tg::kernels::kLanes<float>, 0.5f);
  std::vector<std::size_t> offset(K);
  for (std::size_t k = 0; k < K; ++k) offset[k] = k * 37 % 3000;
  const float* src[R];
  for (std::size_t r = 0; r < R; ++r) src[r] = pixels.data() + 2 * r;
  Vec acc[R][V];
  tg::kernels::zero(acc);
  const long calls = 20'000'000 / static_cast<long>(K);
  const auto t0 = Clock::now();
  for (long i = 0; i < calls; ++i) {
    tg::kernels::tile_product(src, offset.data(), K, w.data(), V * tg::kernels::kLanes<float>, acc);
    asm volatile("" ::: "memory");  // a call is a call: nothing is carried over or merged between them
  }
  const double t = seconds_since(t0);
  float sink = 0;
  for (const auto& row : acc)  // every accumulator is used, so that none is optimised away
    for (const Vec& a : row) sink += a.get(0);
  return sink > 0 ? calls * K * R * V / t * 1e-9 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  int repeat = 500, threads = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--repeat")) repeat = std::stoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--threads")) threads = std::stoi(argv[i + 1]);
    else {
      std::fprintf(stderr, "usage: bench_conv2d [--repeat R] [--threads N]\n");
      return 2;
    }
  }
  tg::set_num_threads(threads);
  const Layer layers[] = {{"Conv2d(1,8,5,s2,p2) on 28x28", 1, 8, 28, 5, 2, 2, false},
                          {"Conv2d(8,16,3,s2,p1) on 14x14", 8, 16, 14, 3, 2, 1, true},
                          {"Conv2d(16,32,3,s2,p1) on 7x7", 16, 32, 7, 3, 2, 1, true}};
  std::printf("batch %zu, %d thread(s), median of %d runs, microseconds per batch\n", kBatch, threads, repeat);
  Times tg_total{0, 0};
#ifdef TAPEGRAD_WITH_LIBTORCH
  Times lt_total{0, 0};
#endif
  for (const Layer& l : layers) {
    const Times t = tapegrad_us(l, repeat);
    tg_total.forward_us += t.forward_us;
    tg_total.backward_us += t.backward_us;
    std::printf("%-30s tapegrad fwd %6.1f bwd %6.1f", l.name, t.forward_us, t.backward_us);
#ifdef TAPEGRAD_WITH_LIBTORCH
    const auto p = peer::libtorch_conv2d_us(kBatch, l.c, l.o, l.h, l.kernel, l.stride, l.padding, l.input_grad,
                                            repeat, threads);
    lt_total.forward_us += p.forward_us;
    lt_total.backward_us += p.backward_us;
    std::printf(" | LibTorch fwd %6.1f bwd %6.1f", p.forward_us, p.backward_us);
#endif
    std::printf("\n");
  }
  std::printf("%-30s tapegrad fwd %6.1f bwd %6.1f", "all three", tg_total.forward_us, tg_total.backward_us);
#ifdef TAPEGRAD_WITH_LIBTORCH
  std::printf(" | LibTorch fwd %6.1f bwd %6.1f | tapegrad/LibTorch speed: %.2fx", lt_total.forward_us,
              lt_total.backward_us,
              (lt_total.forward_us + lt_total.backward_us) / (tg_total.forward_us + tg_total.backward_us));
#endif
  std::printf("\n");
  std::printf("vector FMAs (%zu floats) per ns: core peak %.2f; tile_product 12x1 (8 channels) %.2f, 6x2 (16) %.2f\n",
              tg::kernels::kLanes<float>, fma_peak(), tile_product_rate<12, 1>(72), tile_product_rate<6, 2>(72));
  return 0;
}
