// Core figures: the cost of one recorded op (forward + backward) on Variable<float> and on tg::Tensor,
// a 2-D matmul forward + backward against bare cblas_sgemm calls of the same shapes in the same run,
// tapegrad's GEMM kernel against OpenBLAS's sgemm product by product, exp/tanh/sigmoid forward +
// backward, and the peak RSS; built with LibTorch, the Tensor op's chain through LibTorch's autograd
// too, alternating with tapegrad's. OPENBLAS_CORETYPE=SkylakeX (or another set) compares the kernel
// with OpenBLAS's kernels for that CPU instead of the set it picked.
//   usage: OPENBLAS_NUM_THREADS=1 ./benchmarks/bench_core   (no options but --help)
#include <tapegrad/core/blas.hpp>
#include <tapegrad/kernels/dispatch.hpp>
#include <tapegrad/tapegrad.hpp>

#include <cblas.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <utility>
#include <vector>

#include "cli.hpp"
#ifdef TAPEGRAD_WITH_LIBTORCH
#include "libtorch_peer.hpp"
#endif

namespace {

using Clock = std::chrono::steady_clock;

// The mean time per call of `fn` in µs over `reps` calls.
template <class F>
double mean_us(int reps, F&& fn) {
  const auto t0 = Clock::now();
  for (int i = 0; i < reps; ++i) fn();
  return std::chrono::duration<double, std::micro>(Clock::now() - t0).count() / reps;
}

double median(std::vector<double> t) {
  std::nth_element(t.begin(), t.begin() + t.size() / 2, t.end());
  return t[t.size() / 2];
}

// Median over `runs` of the mean time per call of `fn` in µs (each run calls it `reps` times).
template <class F>
double median_us(int runs, int reps, F&& fn) {
  std::vector<double> t;
  for (int r = 0; r < runs; ++r) t.push_back(mean_us(reps, fn));
  return median(t);
}

double peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;
}

struct Config {};

// No options but --help: anything else is a usage error, not a run.
std::optional<Config> parse(int argc, char** argv) {
  boost::program_options::options_description opts(
      "bench_core: the cost of a recorded op, a matmul against bare sgemm calls, exp/tanh/sigmoid, the peak RSS\n"
      "(run with OPENBLAS_NUM_THREADS=1)\n\nOptions");
  opts.add_options()("help,h", "print this help and exit");
  if (!examples::parse_options(opts, argc, argv)) return std::nullopt;
  return Config{};
}

}  // namespace

int run(const Config&) {
  std::printf("tapegrad core benchmark (threads: %d; OpenBLAS core %s)\n", tg::get_num_threads(), tg::blas::core_name());

  // 1. Recorded-op overhead: a chain of 100 tiny ops on a 4-element tensor, forward and backward.
  {
    tg::Variable<float> x(tg::Array<float>{1.f, 2.f, 3.f, 4.f}, true);
    tg::Variable<float> c(tg::Array<float>{0.5f, 0.5f, 0.5f, 0.5f});
    constexpr int chain = 100;
    auto step = [&] {
      auto y = x;
      for (int i = 0; i < chain / 2; ++i) y = y * c + 1.f;
      y.backward(tg::Array<float>{1.f, 1.f, 1.f, 1.f});
      x.zero_grad();
    };
    const double us = median_us(9, 200, step);
    std::printf("recorded op, forward+backward (chain of %d ops on 4 floats): %.3f us per op\n", chain, us / chain);
  }

  // 1b. The same chain through tg::Tensor (runtime dtype: each op dispatches and wraps its result).
  {
    tg::Tensor x(tg::Array<float>{1.f, 2.f, 3.f, 4.f}, true);
    tg::Tensor c(tg::Array<float>{0.5f, 0.5f, 0.5f, 0.5f});
    const tg::Tensor seed(tg::Array<float>{1.f, 1.f, 1.f, 1.f});
    constexpr int chain = 100;
    auto step = [&] {
      auto y = x;
      for (int i = 0; i < chain / 2; ++i) y = y * c + 1.f;
      y.backward(seed);
      x.grad().zero_();
    };
    const double us = median_us(9, 200, step);
    std::printf("recorded Tensor op, forward+backward (chain of %d ops on 4 floats): %.3f us per op\n", chain,
                us / chain);
#ifdef TAPEGRAD_WITH_LIBTORCH
    // 1c. The same chain through LibTorch's autograd, run by run in turn with tapegrad's Tensor chain.
    std::vector<double> ours, theirs;
    for (int r = 0; r < 9; ++r) {
      ours.push_back(mean_us(200, step));
      theirs.push_back(peer::libtorch_op_chain_us(chain, 200));
    }
    std::printf("the same chain through LibTorch, alternating: %.3f us per op; tapegrad's Tensor op %.3f us: %.1fx "
                "LibTorch's speed\n",
                median(theirs) / chain, median(ours) / chain, median(theirs) / median(ours));
#endif
  }

  // 2. matmul 64x784 @ 784x50, forward + backward (both inputs require grad: 3 GEMMs), against the
  //    same three cblas_sgemm calls on preallocated buffers.
  {
    const std::size_t m = 64, k = 784, n = 50;
    tg::manual_seed(1);
    tg::Variable<float> a(tg::randn<float>({m, k}), true), b(tg::randn<float>({k, n}), true);
    tg::Array<float> ones = xt::ones<float>({m, n});
    auto tape_step = [&] {
      auto c = tg::matmul(a, b);
      c.backward(ones);
      a.zero_grad();
      b.zero_grad();
    };
    std::vector<float> c(m * n), da(m * k), db(k * n);
    const float* A = a.value().data();
    const float* B = b.value().data();
    const float* G = ones.data();
    auto bare_step = [&] {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.f, A, k, B, n, 0.f, c.data(), n);
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, k, n, 1.f, G, n, B, n, 0.f, da.data(), k);
      cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, n, m, 1.f, A, k, G, n, 0.f, db.data(), n);
    };
    const double flop = 3 * 2.0 * m * k * n;
    // Interleave the two so that machine noise hits both alike.
    double tape_us = 1e30, bare_us = 1e30;
    for (int round = 0; round < 5; ++round) {
      tape_us = std::min(tape_us, median_us(5, 200, tape_step));
      bare_us = std::min(bare_us, median_us(5, 200, bare_step));
    }
    std::printf("matmul 64x784 @ 784x50 forward+backward: tapegrad %.1f us (%.1f GFLOP/s), bare sgemm %.1f us "
                "(%.1f GFLOP/s): %.2fx the bare speed\n",
                tape_us, flop / tape_us / 1e3, bare_us, flop / bare_us / 1e3, bare_us / tape_us);
  }

  // 3. tapegrad's GEMM kernel (kernels/gemm.hpp) against cblas_sgemm on one thread, alternating, for
  //    the MNIST models' products and square ones; tg::blas::gemm runs the kernel up to 2^26
  //    multiply-adds and OpenBLAS above.
  {
    struct Product {
      const char* what;
      bool ta, tb;
      std::size_t m, n, k;
    };
    const Product products[] = {{"MLP forward x·Wᵀ", false, true, 64, 50, 784},
                                {"MLP forward, half of W", false, true, 64, 25, 784},
                                {"MLP dW = Gᵀ·x", true, false, 50, 784, 64},
                                {"CNN classifier forward", false, true, 64, 10, 512},
                                {"MLP evaluation, 1000 rows", false, true, 1000, 50, 784},
                                {"square 128", false, false, 128, 128, 128},
                                {"square 256", false, false, 256, 256, 256},
                                {"square 512", false, false, 512, 512, 512}};
    std::printf("GEMM on one thread, tapegrad's kernel (SIMD level %s) against OpenBLAS (%s), best of 5 "
                "alternating rounds:\n",
                tg::to_string(tg::simd_level()), tg::blas::core_name());
    for (const Product& p : products) {
      const std::size_t a_size = p.m * p.k, b_size = p.k * p.n;
      const tg::Array<float> a = tg::randn<float>({a_size}), b = tg::randn<float>({b_size});
      std::vector<float> c(p.m * p.n);
      const std::size_t lda = p.ta ? p.m : p.k, ldb = p.tb ? p.k : p.n;
      const int reps = std::max(1, int(2e7 / (double(p.m) * p.n * p.k)));
      double own_us = 1e30, blas_us = 1e30;
      for (int round = 0; round < 5; ++round) {
        own_us = std::min(own_us, median_us(5, reps, [&] {
          tg::kernels::gemm<float>(p.ta, p.tb, p.m, p.n, p.k, 1.f, a.data(), lda, b.data(), ldb, 0.f, c.data(), p.n);
        }));
        blas_us = std::min(blas_us, median_us(5, reps, [&] {
          cblas_sgemm(CblasRowMajor, p.ta ? CblasTrans : CblasNoTrans, p.tb ? CblasTrans : CblasNoTrans, int(p.m),
                      int(p.n), int(p.k), 1.f, a.data(), int(lda), b.data(), int(ldb), 0.f, c.data(), int(p.n));
        }));
      }
      std::printf("  %-28s %c%c %4zux%4zux%4zu: kernel %8.1f us, OpenBLAS %8.1f us: %.2fx OpenBLAS's speed\n", p.what,
                  p.ta ? 'T' : 'N', p.tb ? 'T' : 'N', p.m, p.n, p.k, own_us, blas_us, blas_us / own_us);
    }
  }

  {  // the transcendental activations, which run on the CPU's best SIMD level (kernels/elementwise.hpp)
    tg::manual_seed(1);
    tg::Variable<float> x(tg::randn<float>({64, 784}), true);
    using Op = tg::Variable<float> (*)(const tg::Variable<float>&);
    const std::pair<const char*, Op> ops[] = {{"exp", tg::exp<float>}, {"tanh", tg::tanh<float>},
                                              {"sigmoid", tg::sigmoid<float>}};
    std::printf("elementwise forward+backward on 64x784 floats (SIMD level %s):", tg::to_string(tg::simd_level()));
    for (const auto& [name, op] : ops)
      std::printf(" %s %.1f us", name, median_us(5, 100, [&] {
                    x.zero_grad();
                    tg::sum(op(x)).backward();
                  }));
    std::printf("\n");
  }

#ifdef TAPEGRAD_WITH_LIBTORCH
  std::printf("peak RSS: %.1f MiB (LibTorch's included)\n", peak_rss_mib());
#else
  std::printf("peak RSS: %.1f MiB\n", peak_rss_mib());
#endif
  return 0;
}

int main(int argc, char** argv) { return examples::run_main<Config>("bench_core", argc, argv, parse, run); }
