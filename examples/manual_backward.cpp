// The walkthrough's forward_and_backward (docs/walkthrough.md, step 4) on the MNIST training set,
// twice: once with the gradients derived by hand (tg::manual), once with the tape. Prints how far
// apart every gradient is and how long each path takes.
//   build/examples/manual_backward --rows 50000 --repeat 5
//
// Network: l1 = x @ w1 + b1; l2 = relu(l1); out = l2 @ w2 + b2; loss = mse(out, digit as a float),
// 784-50-1, Kaiming init (w = randn(fan_in, fan_out) * sqrt(2 / fan_in), zero biases). As in the
// walkthrough, x requires grad, so both paths also compute the input's gradient (50000 x 784, a
// third of the work); --no-input-grad leaves it out of both. Both paths run the same forward ops;
// the manual one runs them with recording off.
#include <boost/program_options.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <xtensor/xmath.hpp>

#include <tapegrad/reference/manual_backward.hpp>
#include <tapegrad/tapegrad.hpp>

#include "cli.hpp"

namespace po = boost::program_options;

namespace {

// How close to the hand-written path the tape should come.
constexpr double kTargetRatio = 1.15;

struct Config {
  std::size_t rows, repeat;
  int threads;
  bool no_input_grad;
  std::uint64_t seed;
  std::string data_dir;
};

std::optional<Config> parse(int argc, char** argv) {
  Config c;
  po::options_description opts(
      "manual_backward: the walkthrough's forward_and_backward (784-50-1, ReLU, MSE) on MNIST, by hand and by "
      "the tape: gradient differences and times\n\nOptions");
  opts.add_options()
    ("help,h", "print this help and exit")
    ("rows", po::value(&c.rows)->default_value(50000), "training rows in the batch (1..50000)")
    ("repeat", po::value(&c.repeat)->default_value(5), "timed runs of each path (the median is printed)")
    ("threads", po::value(&c.threads)->default_value(1), "BLAS threads")
    ("no-input-grad", po::bool_switch(&c.no_input_grad), "x does not require grad: neither path computes its gradient")
    ("seed", po::value(&c.seed)->default_value(1), "seed of the weight initialisation")
    ("data-dir", po::value(&c.data_dir), "folder holding the MNIST IDX files (default: $TAPEGRAD_DATA_DIR/mnist)");
  if (!examples::parse_options(opts, argc, argv)) return std::nullopt;
  if (c.rows == 0) throw po::error("--rows must be >= 1");
  if (c.repeat == 0) throw po::error("--repeat must be >= 1");
  if (c.threads < 1) throw po::error("--threads must be >= 1");
  if (c.data_dir.empty()) c.data_dir = tg::data::mnist_dir();
  return c;
}

using V = tg::Variable<float>;
using Array = tg::Array<float>;

struct Net {
  V w1, b1, w2, b2;
};

struct Forward {
  V l1, l2, out, loss;
};

// The walkthrough's forward; recorded on the tape when grad mode is on and an input requires grad.
Forward forward(const V& x, const V& targ_column, const Net& net) {
  Forward f;
  f.l1 = tg::matmul(x, net.w1) + net.b1;
  f.l2 = tg::relu(f.l1);
  f.out = tg::matmul(f.l2, net.w2) + net.b2;
  f.loss = tg::mse_loss(f.out, targ_column);
  return f;
}

struct Gradients {
  Array x, w1, b1, w2, b2;  // x only when it requires grad
  float loss;
};

// The walkthrough's forward_and_backward: forward with recording off, then its backward by hand.
Gradients manual_path(const V& x, const V& targ_column, const Array& targ, const Net& net) {
  tg::NoGradGuard no_tape;
  const Forward f = forward(x, targ_column, net);
  const Array d_out = tg::manual::mse_grad(f.out.value(), targ);
  auto layer2 = tg::manual::lin_grad(f.l2.value(), d_out, net.w2.value());
  const Array d_l1 = tg::manual::relu_grad(f.l1.value(), layer2.inp);
  auto layer1 = tg::manual::lin_grad(x.value(), d_l1, net.w1.value(), x.requires_grad());
  return {std::move(layer1.inp), std::move(layer1.w), std::move(layer1.b), std::move(layer2.w), std::move(layer2.b),
          f.loss.item()};
}

// The same with the tape: forward recorded, loss.backward(). The gradients are left in the leaves.
float tape_path(V& x, const V& targ_column, Net& net) {
  for (V* leaf : {&x, &net.w1, &net.b1, &net.w2, &net.b2}) leaf->zero_grad();  // as set_to_none
  const Forward f = forward(x, targ_column, net);
  f.loss.backward();
  return f.loss.item();
}

template <class F>
double time_ms(F&& f) {
  const auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int run(const Config& c) {
  tg::set_num_threads(c.threads);
  const tg::data::MNIST mnist(c.data_dir);
  const tg::data::Dataset& train = mnist.split(tg::data::Split::Train);
  if (c.rows > train.size())
    throw tg::Error("--rows " + std::to_string(c.rows) + " exceeds the " + std::to_string(train.size()) +
                    " training rows");
  const std::size_t rows = c.rows;

  // x: the first `rows` training images, flattened and normalised with the training mean/std.
  tg::data::ImageLoaderOptions options;
  options.batch_size = rows;
  options.shuffle = false;
  options.flatten = true;
  const tg::data::Batch batch = tg::data::DataLoader(train, options).batch(0);
  V x(batch.data.value<float>(), !c.no_input_grad);
  const Array targ = xt::cast<float>(batch.target.value<std::int64_t>());  // the digit as a float, (N,)
  const V targ_column = tg::reshape(V(targ), {-1, 1});  // (N, 1), as out: mse must not broadcast to (N, N)

  tg::manual_seed(c.seed);
  const std::size_t m = x.shape()[1], nh = 50;
  Net net{V(Array(tg::randn<float>({m, nh}) * std::sqrt(2.f / m)), true), V(Array(xt::zeros<float>({nh})), true),
          V(Array(tg::randn<float>({nh, 1}) * std::sqrt(2.f / nh)), true), V(Array(xt::zeros<float>({1})), true)};

  // One untimed run of each first (it faults in the buffers), then the two interleaved, so that load
  // from other processes falls on both alike.
  Gradients manual = manual_path(x, targ_column, targ, net);
  const float tape_loss = tape_path(x, targ_column, net);
  std::vector<double> manual_ms, tape_ms;
  for (std::size_t r = 0; r < c.repeat; ++r) {
    manual_ms.push_back(time_ms([&] {
      manual = Gradients();  // freed first, as the tape path frees its gradients (zero_grad)
      manual = manual_path(x, targ_column, targ, net);
    }));
    tape_ms.push_back(time_ms([&] { tape_path(x, targ_column, net); }));
  }

  std::printf("forward_and_backward on %zu MNIST training rows: %zu-%zu-1, ReLU, MSE against the digit as a float\n",
              rows, m, nh);
  std::printf("float32, %d BLAS thread(s), Kaiming init (seed %llu); loss: manual %.6f, tape %.6f\n\n", c.threads,
              static_cast<unsigned long long>(c.seed), manual.loss, tape_loss);

  std::printf("gradient   shape         max |tape - manual|   relative (max|tape - manual| / max|manual|)\n");
  const struct {
    const char* name;
    const V& leaf;
    const Array& reference;
  } grads[] = {{"w1", net.w1, manual.w1}, {"b1", net.b1, manual.b1}, {"w2", net.w2, manual.w2},
               {"b2", net.b2, manual.b2}, {"x", x, manual.x}};
  for (const auto& g : grads) {
    if (!g.leaf.requires_grad()) continue;
    const tg::manual::Difference d = tg::manual::difference(g.leaf.grad(), g.reference);
    std::printf("%-10s %-13s %-21.3g %.3g\n", g.name, tg::shape_str(g.leaf.shape()).c_str(), d.max_abs, d.relative);
  }
  std::printf(!c.no_input_grad ? "(x requires grad, as in the walkthrough: both paths compute its gradient)\n"
                           : "(--no-input-grad: x requires no grad, neither path computes its gradient)\n");
  std::printf("walkthrough, PyTorch autograd against its hand-written gradients: \"almost the same\" (w2, by eye)\n\n");

  const double manual_median = median(manual_ms), tape_median = median(tape_ms), ratio = tape_median / manual_median;
  std::printf("path                                   median of %zu runs   (fastest)\n", c.repeat);
  std::printf("manual (tg::manual)                    %8.1f ms          (%.1f ms)\n", manual_median,
              *std::min_element(manual_ms.begin(), manual_ms.end()));
  std::printf("tape (loss.backward())                 %8.1f ms          (%.1f ms)\n", tape_median,
              *std::min_element(tape_ms.begin(), tape_ms.end()));
  std::printf("tape / manual                          %8.3fx   (target: within %.2fx: %s)\n", ratio, kTargetRatio,
              ratio <= kTargetRatio ? "met" : "NOT met");
  // LibTorch is not a dependency of the examples: its time, in the same run as the tape's, comes from
  // the benchmark built with -DTAPEGRAD_WITH_LIBTORCH=ON.
  std::printf("LibTorch 1.13: build-torch/benchmarks/bench_forward_backward times it beside the tape\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return examples::run_main<Config>("manual_backward", argc, argv, parse, run); }
