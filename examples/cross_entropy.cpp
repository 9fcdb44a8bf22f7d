// The walkthrough's step 5: cross-entropy built from primitives, then the basic training loop.
//   1. log_softmax four ways (naive, simplified, the LogSumExp trick by hand, tg::logsumexp) and nll
//      by integer indexing, each compared with tapegrad's fused tg::cross_entropy on real logits;
//   2. the same on logits scaled by 1000, where the naive ways overflow and LogSumExp does not;
//   3. the walkthrough's training loop from these primitives alone: matmul, add, relu, the hand-built
//      cross-entropy, backward, and a manual SGD update of each weight.
//   build/examples/cross_entropy --epochs 1
#include <boost/program_options.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <iostream>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <xtensor/xmath.hpp>
#include <xtensor/xnoalias.hpp>

#include <tapegrad/tapegrad.hpp>

#include "cli.hpp"

namespace po = boost::program_options;
using tg::Array;
using tg::Variable;

namespace {

struct Config {
  int epochs;
  double lr;
  std::size_t batch_size, train_rows, compare_rows;
  std::uint64_t seed;
};

std::optional<Config> parse(int argc, char** argv) {
  Config c;
  po::options_description opts(
      "cross_entropy: the walkthrough's cross-entropy from primitives and its basic training loop\n\nOptions");
  opts.add_options()
    ("help,h", "print this help and exit")
    ("epochs", po::value(&c.epochs)->default_value(1), "training epochs (the walkthrough: 1)")
    ("lr", po::value(&c.lr)->default_value(0.5), "learning rate of the manual SGD update (the walkthrough: 0.5)")
    ("batch-size", po::value(&c.batch_size)->default_value(64), "mini-batch size (the walkthrough: 64)")
    ("seed", po::value(&c.seed)->default_value(1), "seed of the weights and the shuffling")
    ("train-rows", po::value(&c.train_rows)->default_value(0), "train on only the first N training rows (0: all 50000)")
    ("compare-rows", po::value(&c.compare_rows)->default_value(1000),
     "validation rows whose logits the log_softmax variants are compared on");
  if (!examples::parse_options(opts, argc, argv)) return std::nullopt;
  if (c.epochs < 0) throw po::error("--epochs must be >= 0");
  if (!(c.lr > 0)) throw po::error("--lr must be > 0");
  if (c.batch_size == 0) throw po::error("--batch-size must be >= 1");
  if (c.compare_rows == 0) throw po::error("--compare-rows must be >= 1");
  return c;
}

// ---- log_softmax, four ways, and nll ----

// (x.exp() / x.exp().sum(-1, keepdim=True)).log(): exp overflows for large logits.
Variable<float> log_softmax_naive(const Variable<float>& x) {
  const Variable<float> e = tg::exp(x);
  return tg::log(e / tg::sum(e, {-1}, true));
}

// x - x.exp().sum(-1, keepdim=True).log(): one division fewer, the same overflow.
Variable<float> log_softmax_simplified(const Variable<float>& x) {
  return x - tg::log(tg::sum(tg::exp(x), {-1}, true));
}

// The LogSumExp trick by hand: logsumexp(x) = m + log(sum(exp(x - m))), m the row's max, so the
// largest exponent is exp(0) = 1 and nothing overflows.
Variable<float> log_softmax_lse_by_hand(const Variable<float>& x) {
  const Variable<float> m = tg::amax(x, -1, true);
  return x - (m + tg::log(tg::sum(tg::exp(x - m), {-1}, true)));
}

// x - x.logsumexp(-1, keepdim=True), with tapegrad's logsumexp op.
Variable<float> log_softmax_lse(const Variable<float>& x) { return x - tg::logsumexp(x, -1, true); }

// -input[range(n), target].mean(): integer indexing is a gather of one column per row.
Variable<float> nll(const Variable<float>& log_probs, const tg::Labels& target) {
  tg::Labels index = target;
  index.reshape({target.size(), 1});
  return -tg::mean(tg::gather(log_probs, 1, index));
}

struct Way {
  const char* name;
  std::function<Variable<float>(const Variable<float>&)> log_softmax;
};

const std::vector<Way>& ways() {
  static const std::vector<Way> all{
      {"naive: log(exp(x) / sum exp(x))", log_softmax_naive},
      {"simplified: x - log(sum exp(x))", log_softmax_simplified},
      {"LogSumExp by hand: x - (m + log sum exp(x-m))", log_softmax_lse_by_hand},
      {"x - tg::logsumexp(x)", log_softmax_lse},
      {"tg::log_softmax(x)", [](const Variable<float>& x) { return tg::log_softmax(x, -1); }},
  };
  return all;
}

std::size_t count_non_finite(const Array<float>& t) {
  return static_cast<std::size_t>(std::count_if(t.begin(), t.end(), [](float v) { return !std::isfinite(v); }));
}

// For each way: its non-finite outputs, max |diff| against tg::log_softmax, its nll and |nll - cross_entropy|.
void compare_ways(const Variable<float>& logits, const tg::Labels& target) {
  const Array<float> reference = tg::log_softmax(logits, -1).value();
  // The fused op, F.cross_entropy in the walkthrough.
  const float fused = tg::cross_entropy(logits, target).item();
  std::printf("%-46s %16s %22s %12s %18s\n", "log_softmax", "non-finite", "max |diff| log_softmax", "nll",
              "|nll - fused CE|");
  for (const Way& way : ways()) {
    const Variable<float> log_probs = way.log_softmax(logits);
    const float loss = nll(log_probs, target).item();
    std::printf("%-46s %6zu of %-6zu %22.3g %12.6g %18.3g\n", way.name, count_non_finite(log_probs.value()),
                log_probs.numel(), static_cast<double>(xt::amax(xt::abs(log_probs.value() - reference))()),
                static_cast<double>(loss), std::fabs(static_cast<double>(loss - fused)));
  }
  std::printf("%-46s %16s %22s %12.6g\n", "tg::cross_entropy (log_softmax + nll fused)", "", "",
              static_cast<double>(fused));
}

// ---- the model of step 5: Linear(784,50) - ReLU - Linear(50,10), as bare Variables ----

struct Weights {
  Variable<float> w1, b1, w2, b2;
  std::vector<Variable<float>> all() const { return {w1, b1, w2, b2}; }
};

// w1 = randn(784,50)/sqrt(784), w2 = randn(50,10)/sqrt(50), zero biases: the walkthrough's init.
Weights init_weights(std::size_t inputs, std::size_t hidden, std::size_t classes) {
  auto scaled_randn = [](std::size_t fan_in, std::size_t fan_out) {
    return Variable<float>(Array<float>(tg::randn<float>({fan_in, fan_out}) / std::sqrt(static_cast<float>(fan_in))),
                           true);
  };
  Weights w;
  w.w1 = scaled_randn(inputs, hidden);
  w.b1 = Variable<float>(Array<float>(xt::zeros<float>({hidden})), true);
  w.w2 = scaled_randn(hidden, classes);
  w.b2 = Variable<float>(Array<float>(xt::zeros<float>({classes})), true);
  return w;
}

Variable<float> forward(const Weights& w, const Variable<float>& x) {
  return tg::matmul(tg::relu(tg::matmul(x, w.w1) + w.b1), w.w2) + w.b2;
}

double accuracy(const Weights& w, const tg::data::Batch& data) {
  tg::NoGradGuard no_grad;
  const tg::Labels predicted = tg::max(forward(w, data.data.variable<float>()), 1).indices;
  const tg::Labels& target = data.target.value<std::int64_t>();
  std::size_t correct = 0;
  for (std::size_t i = 0; i < predicted.size(); ++i) correct += predicted(i) == target(i);
  return static_cast<double>(correct) / static_cast<double>(predicted.size());
}

// A whole split as one batch, in order, normalised with the training mean and std.
tg::data::Batch whole(const tg::data::Dataset& data, std::size_t rows) {
  tg::data::ImageLoaderOptions options;
  options.batch_size = std::min(rows, data.size());
  options.shuffle = false;
  options.flatten = true;
  return tg::data::DataLoader(data, options).batch(0);
}

int run(const Config& c) {
  tg::manual_seed(c.seed);
  const tg::data::MNIST mnist(tg::data::mnist_dir());
  const tg::data::Dataset& full_train = mnist.split(tg::data::Split::Train);
  const tg::data::Dataset train = full_train.head(c.train_rows > 0 ? c.train_rows : full_train.size());
  const tg::data::Dataset& valid = mnist.split(tg::data::Split::Valid);
  Weights w = init_weights(train.pixels(), 50, 10);

  // 1 and 2: the untrained network's logits on validation rows, as they are and scaled by 1000.
  const tg::data::Batch sample = whole(valid, c.compare_rows);
  Variable<float> logits;
  {
    tg::NoGradGuard no_grad;
    logits = forward(w, sample.data.variable<float>());
  }
  std::printf("Cross-entropy from primitives, on the logits of the untrained 784-50-10 network (seed %llu)\n"
              "for the first %zu validation rows; fused CE = tg::cross_entropy (log_softmax + nll in one op)\n\n",
              static_cast<unsigned long long>(c.seed), sample.target.value<std::int64_t>().size());
  compare_ways(logits, sample.target.value<std::int64_t>());
  std::printf("\nThe same logits times 1000 (largest |logit| %.0f): exp overflows float32 above "
              "log(FLT_MAX) = %.2f\n\n",
              static_cast<double>(xt::amax(xt::abs(logits.value()))()) * 1000,
              std::log(static_cast<double>(std::numeric_limits<float>::max())));
  compare_ways(logits * 1000, sample.target.value<std::int64_t>());

  // 3: the training loop, with the LogSumExp cross-entropy built by hand above.
  tg::data::ImageLoaderOptions options;
  options.batch_size = c.batch_size;
  options.flatten = true;
  tg::data::DataLoader loader(train, options);
  const tg::data::Batch valid_all = whole(valid, valid.size());
  std::printf("\nTraining loop: %zu training rows, batch %zu, lr %g, %d epoch(s); "
              "loss = nll(LogSumExp log_softmax)\n",
              train.size(), c.batch_size, c.lr, c.epochs);
  std::printf("validation accuracy before training: %.4f\n", accuracy(w, valid_all));
  const float lr = static_cast<float>(c.lr);
  const auto t0 = std::chrono::steady_clock::now();
  for (int epoch = 1; epoch <= c.epochs; ++epoch) {
    std::size_t i = 0, window_start = 0;
    double window_loss = 0;  // summed since the last print: one batch's loss is noisy
    for (const tg::data::Batch& batch : loader) {
      const Variable<float> loss =
          nll(log_softmax_lse_by_hand(forward(w, batch.data.variable<float>())), batch.target.value<std::int64_t>());
      loss.backward();
      {
        tg::NoGradGuard no_grad;
        for (Variable<float>& p : w.all()) {
          xt::noalias(p.value()) -= lr * p.grad();
          p.zero_grad();
        }
      }
      window_loss += static_cast<double>(loss.item());
      if (++i % 100 == 0 || i == loader.size()) {
        std::printf("epoch %d  batches %4zu-%-4zu of %zu  mean loss %.4f\n", epoch, window_start + 1, i,
                    loader.size(), window_loss / static_cast<double>(i - window_start));
        window_start = i;
        window_loss = 0;
      }
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("trained in %.2f s; validation accuracy after training: %.4f (%zu rows)\n", seconds,
              accuracy(w, valid_all), static_cast<std::size_t>(valid_all.target.numel()));
  std::printf("(the walkthrough's own loss and accuracy figures for this step were in its lost screenshots)\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return examples::run_main<Config>("cross_entropy", argc, argv, parse, run); }
