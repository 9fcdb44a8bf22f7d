// The walkthrough's forward_and_backward (784-50-1, ReLU, MSE against the digit as a float, Kaiming
// init) on the 50000 MNIST training rows, through tapegrad's tape and through LibTorch 1.13 in the
// same run (built only with -DTAPEGRAD_WITH_LIBTORCH=ON): median ms of each, with and without the
// input's gradient.   usage: bench_forward_backward [--repeat R>=1] [--threads N>=1]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <tapegrad/tapegrad.hpp>

#include "cli.hpp"
#include "libtorch_peer.hpp"

namespace {

using V = tg::Variable<float>;

// Median ms of `repeat` tape runs: forward recorded, loss.backward().
double tapegrad_ms(const V& x_data, const V& targ_column, bool input_grad, int repeat) {
  tg::manual_seed(1);
  V x(x_data.value(), input_grad);
  V w1(tg::Array<float>(tg::randn<float>({784, 50}) * std::sqrt(2.f / 784)), true);
  V b1(tg::Array<float>(xt::zeros<float>({50})), true);
  V w2(tg::Array<float>(tg::randn<float>({50, 1}) * std::sqrt(2.f / 50)), true);
  V b2(tg::Array<float>(xt::zeros<float>({1})), true);
  std::vector<double> ms;
  for (int r = 0; r < repeat; ++r) {
    for (V* leaf : {&x, &w1, &b1, &w2, &b2}) leaf->zero_grad();
    const auto t0 = std::chrono::steady_clock::now();
    const V out = tg::matmul(tg::relu(tg::matmul(x, w1) + b1), w2) + b2;
    tg::mse_loss(out, targ_column).backward();
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::nth_element(ms.begin(), ms.begin() + ms.size() / 2, ms.end());
  return ms[ms.size() / 2];
}

struct Config {
  int repeat, threads;
};

std::optional<Config> parse(int argc, char** argv) {
  namespace po = boost::program_options;
  Config c;
  po::options_description opts(
      "bench_forward_backward: the walkthrough's forward_and_backward on 50000 MNIST rows, tapegrad's tape\n"
      "against LibTorch\n\nOptions");
  opts.add_options()
    ("help,h", "print this help and exit")
    ("repeat", po::value(&c.repeat)->default_value(5), "runs of each (the median is printed)")
    ("threads", po::value(&c.threads)->default_value(1), "threads of tapegrad's pool and of LibTorch");
  if (!examples::parse_options(opts, argc, argv)) return std::nullopt;
  examples::check_at_least("--repeat", c.repeat, 1);
  examples::check_at_least("--threads", c.threads, 1);
  return c;
}

int run(const Config& c) {
  const int repeat = c.repeat, threads = c.threads;
  tg::set_num_threads(threads);
  const tg::data::MNIST mnist(tg::data::mnist_dir());
  tg::data::ImageLoaderOptions options;
  options.batch_size = mnist.split(tg::data::Split::Train).size();
  options.shuffle = false;
  options.flatten = true;
  const tg::data::DataLoader loader(mnist.split(tg::data::Split::Train), options);
  const tg::data::Batch all = loader.batch(0);
  const V x = all.data.variable<float>();
  const std::size_t n = static_cast<std::size_t>(all.target.numel());
  tg::Array<float> digits = xt::cast<float>(all.target.value<std::int64_t>());
  tg::Array<float> digit_column = digits;
  digit_column.reshape({n, 1});
  const V targ_column(digit_column);
  std::printf("forward_and_backward on %zu MNIST rows (784-50-1, ReLU, MSE), %d thread(s), median of %d\n", n,
              threads, repeat);
  for (bool input_grad : {true, false}) {
    const double ours = tapegrad_ms(x, targ_column, input_grad, repeat);
    const double theirs = peer::libtorch_forward_backward_ms(x.value().data(), digits.data(), n, input_grad,
                                                             repeat, threads);
    std::printf("x %-21s tapegrad %7.1f ms | LibTorch %7.1f ms | tapegrad/LibTorch speed: %.2fx\n",
                input_grad ? "requires grad:" : "does not require grad:", ours, theirs, theirs / ours);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return examples::run_main<Config>("bench_forward_backward", argc, argv, parse, run); }
