// BatchNorm2d and Dropout (training mode, forward then backward) and an Adam step, tapegrad's modules
// and optimizer against LibTorch 1.13's in the same run: the two alternate in `rounds` rounds of
// `repeat` runs each, so that the machine's drift hits both alike. Prints the best and median
// microseconds of each, and tapegrad's speed over LibTorch's (median against median). Needs
// -DTAPEGRAD_WITH_LIBTORCH=ON (there is nothing to compare against without it).
//   usage: bench_layers [--repeat R>=1] [--rounds K>=1] [--threads N>=1]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <tapegrad/tapegrad.hpp>

#include "cli.hpp"
#include "libtorch_peer.hpp"
#include "progress.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using Times = std::vector<double>;  // microseconds per run

double us_since(Clock::time_point t0) { return std::chrono::duration<double, std::micro>(Clock::now() - t0).count(); }

double median(Times v) {
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}
double best(const Times& v) { return *std::min_element(v.begin(), v.end()); }

void append(Times& to, const Times& from) { to.insert(to.end(), from.begin(), from.end()); }

// Forward and backward of `layer` on x from `grad`, `repeat` timed runs after one warm-up.
template <class Layer>
peer::LayerTimes time_layer(Layer& layer, const tg::Tensor& x, const tg::Tensor& grad, int repeat) {
  peer::LayerTimes t;
  for (int r = -1; r < repeat; ++r) {
    const tg::Tensor input = x.detach().requires_grad_();  // no gradient yet, as LibTorch's after reset()
    layer->zero_grad();
    const auto t0 = Clock::now();
    const tg::Tensor y = layer->forward(input);
    const double fwd = us_since(t0);
    const auto t1 = Clock::now();
    y.backward(grad);
    const double bwd = us_since(t1);
    if (r >= 0) t.forward_us.push_back(fwd), t.backward_us.push_back(bwd);
  }
  return t;
}

peer::LayerTimes tapegrad_batch_norm2d_us(int n, int c, int h, int repeat) {
  tg::manual_seed(1);
  tg::nn::BatchNorm2d bn(c);
  bn->train();
  const std::vector<std::int64_t> shape{n, c, h, h};
  const tg::Tensor x = tg::randn(shape, tg::requires_grad());
  return time_layer(bn, x, tg::randn(shape), repeat);
}

peer::LayerTimes tapegrad_dropout_us(int n, int features, double p, int repeat) {
  tg::manual_seed(1);
  tg::nn::Dropout drop(p);
  drop->train();
  const std::vector<std::int64_t> shape{n, features};
  const tg::Tensor x = tg::randn(shape, tg::requires_grad());
  return time_layer(drop, x, tg::randn(shape), repeat);
}

Times tapegrad_adam_step_us(const std::vector<std::vector<long>>& shapes, int repeat) {
  tg::manual_seed(1);
  std::vector<tg::Tensor> params;
  for (const auto& s : shapes) {
    const std::vector<std::int64_t> shape(s.begin(), s.end());
    params.push_back(tg::randn(shape, tg::requires_grad()));
    (params.back() * tg::randn(shape)).sum().backward();  // a fixed random gradient
  }
  tg::optim::Adam opt(params, tg::optim::AdamOptions(1e-3));
  Times us;
  for (int r = -1; r < repeat; ++r) {
    const auto t0 = Clock::now();
    opt.step();
    if (r >= 0) us.push_back(us_since(t0));
  }
  return us;
}

void print_row(const char* name, const Times& tg_fwd, const Times& tg_bwd, const Times& lt_fwd, const Times& lt_bwd) {
  std::vector<double> tg_total, lt_total;
  for (std::size_t i = 0; i < tg_fwd.size(); ++i) tg_total.push_back(tg_fwd[i] + (tg_bwd.empty() ? 0 : tg_bwd[i]));
  for (std::size_t i = 0; i < lt_fwd.size(); ++i) lt_total.push_back(lt_fwd[i] + (lt_bwd.empty() ? 0 : lt_bwd[i]));
  std::printf("%-34s", name);
  if (!tg_bwd.empty())
    std::printf(" fwd %7.1f | %7.1f  bwd %7.1f | %7.1f ", median(tg_fwd), median(lt_fwd), median(tg_bwd),
                median(lt_bwd));
  else
    std::printf(" %43s", "");
  std::printf(" total best %7.1f | %7.1f  median %7.1f | %7.1f  %.2fx\n", best(tg_total), best(lt_total),
              median(tg_total), median(lt_total), median(lt_total) / median(tg_total));
}

struct Config {
  int repeat, rounds, threads;
};

std::optional<Config> parse(int argc, char** argv) {
  namespace po = boost::program_options;
  Config c;
  po::options_description opts(
      "bench_layers: BatchNorm2d, Dropout and an Adam step, tapegrad's against LibTorch's, alternating\n\nOptions");
  opts.add_options()
    ("help,h", "print this help and exit")
    ("repeat", po::value(&c.repeat)->default_value(200), "timed runs in each round")
    ("rounds", po::value(&c.rounds)->default_value(5), "rounds, tapegrad and LibTorch taking turns")
    ("threads", po::value(&c.threads)->default_value(1), "threads of tapegrad's pool and of LibTorch");
  if (!examples::parse_options(opts, argc, argv)) return std::nullopt;
  examples::check_at_least("--repeat", c.repeat, 1);
  examples::check_at_least("--rounds", c.rounds, 1);
  examples::check_at_least("--threads", c.threads, 1);
  return c;
}

int run(const Config& c) {
  const int repeat = c.repeat, rounds = c.rounds, threads = c.threads;
  tg::set_num_threads(threads);
  std::printf("%d thread(s), %d rounds of %d runs alternating; microseconds, tapegrad | LibTorch; "
              "speed = LibTorch median / tapegrad median\n",
              threads, rounds, repeat);

  struct BatchNormCase {
    const char* name;
    int n, c, h;
  };
  examples::Progress progress;  // a status line on a terminal, nothing when piped
  // One layer, tapegrad and LibTorch taking turns `rounds` times, then its row.
  const auto compare_layer = [&](const char* name, auto tapegrad_us, auto libtorch_us) {
    peer::LayerTimes t, p;
    for (int r = 0; r < rounds; ++r) {
      progress.show("%s: round %d of %d ...", name, r + 1, rounds);
      const auto tr = tapegrad_us();
      const auto pr = libtorch_us();
      append(t.forward_us, tr.forward_us), append(t.backward_us, tr.backward_us);
      append(p.forward_us, pr.forward_us), append(p.backward_us, pr.backward_us);
    }
    progress.clear();
    print_row(name, t.forward_us, t.backward_us, p.forward_us, p.backward_us);
  };
  // The first three are the bn-cnn model's (examples/mnist_models.cpp), after each convolution.
  for (const BatchNormCase& b : {BatchNormCase{"BatchNorm2d(8) on (64,8,14,14)", 64, 8, 14},
                                 BatchNormCase{"BatchNorm2d(16) on (64,16,7,7)", 64, 16, 7},
                                 BatchNormCase{"BatchNorm2d(32) on (64,32,4,4)", 64, 32, 4},
                                 BatchNormCase{"BatchNorm2d(32) on (64,32,14,14)", 64, 32, 14}}) {
    compare_layer(b.name, [&] { return tapegrad_batch_norm2d_us(b.n, b.c, b.h, repeat); },
                  [&] { return peer::libtorch_batch_norm2d_us(b.n, b.c, b.h, repeat, threads); });
  }

  struct DropoutCase {
    const char* name;
    int n, features;
  };
  for (const DropoutCase& d : {DropoutCase{"Dropout(0.5) on (64,50)", 64, 50},
                               DropoutCase{"Dropout(0.5) on (64,512)", 64, 512},
                               DropoutCase{"Dropout(0.5) on (64,4096)", 64, 4096}}) {
    compare_layer(d.name, [&] { return tapegrad_dropout_us(d.n, d.features, 0.5, repeat); },
                  [&] { return peer::libtorch_dropout_us(d.n, d.features, 0.5, repeat, threads); });
  }

  struct AdamCase {
    const char* name;
    std::vector<std::vector<long>> shapes;
  };
  const AdamCase adam_cases[] = {
      // bn-cnn's parameters: three convolutions, their batch norms, the classifier.
      {"Adam step, bn-cnn (11,258 floats)",
       {{8, 1, 5, 5}, {8}, {8}, {8}, {16, 8, 3, 3}, {16}, {16}, {16}, {32, 16, 3, 3}, {32}, {32}, {32}, {10, 512}, {10}}},
      {"Adam step, (1024,1024)+(1024)", {{1024, 1024}, {1024}}}};
  for (const AdamCase& a : adam_cases) {
    Times t, p;
    for (int r = 0; r < rounds; ++r) {
      progress.show("%s: round %d of %d ...", a.name, r + 1, rounds);
      append(t, tapegrad_adam_step_us(a.shapes, repeat));
      append(p, peer::libtorch_adam_step_us(a.shapes, repeat, threads));
    }
    progress.clear();
    print_row(a.name, t, {}, p, {});
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return examples::run_main<Config>("bench_layers", argc, argv, parse, run); }
