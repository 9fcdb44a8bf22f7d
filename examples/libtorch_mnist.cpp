// A LibTorch user's MNIST program, written against tapegrad: the model and settings of the MNIST
// example in pytorch/examples (cpp/mnist), in LibTorch's idioms — a TG_MODULE holder, Conv2d,
// Dropout2d, functional max_pool2d / dropout / log_softmax, nll_loss, SGD with momentum, and the data
// pipeline datasets::MNIST -> Normalize -> Stack -> make_data_loader. Only the names say `tg::`.
//   build/examples/libtorch_mnist --epochs 1
// reads $TAPEGRAD_DATA_DIR/mnist (scripts/setup.sh puts MNIST there).
#include <boost/program_options.hpp>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

#include <tapegrad/tapegrad.hpp>

#include "cli.hpp"

namespace po = boost::program_options;

namespace {

struct Config {
  unsigned epochs, threads;
  std::size_t train_rows, test_rows;
};

std::optional<Config> parse(int argc, char** argv) {
  Config c;
  po::options_description opts(
      "libtorch_mnist: upstream LibTorch's MNIST example (two convolutions, Dropout2d, dropout, SGD\n"
      "lr 0.01 momentum 0.5), written with tapegrad's LibTorch-style API\n\nOptions");
  opts.add_options()
    ("help,h", "print this help and exit")
    ("epochs", po::value(&c.epochs)->default_value(1), "training epochs (upstream: 10)")
    ("train-rows", po::value(&c.train_rows)->default_value(0), "train on the first N of the 60000 images (0: all)")
    ("test-rows", po::value(&c.test_rows)->default_value(0), "test on the first N of the 10000 images (0: all)")
    ("threads", po::value(&c.threads)->default_value(0), "tg::set_num_threads (0: leave the default)");
  if (!examples::parse_options(opts, argc, argv)) return std::nullopt;
  if (c.epochs == 0) throw po::error("--epochs must be >= 1");
  return c;
}

// Upstream's network: 28x28 -> conv 5x5 (10) -> pool -> relu -> conv 5x5 (20) -> Dropout2d -> pool
// -> relu -> 320 -> 50 -> dropout 0.5 -> 10 -> log_softmax.
struct NetImpl : tg::nn::Module {
  NetImpl()
      : conv1(tg::nn::Conv2dOptions(1, 10, /*kernel_size=*/5)),
        conv2(tg::nn::Conv2dOptions(10, 20, /*kernel_size=*/5)),
        fc1(320, 50),
        fc2(50, 10) {
    register_module("conv1", conv1);
    register_module("conv2", conv2);
    register_module("conv2_drop", conv2_drop);
    register_module("fc1", fc1);
    register_module("fc2", fc2);
  }

  tg::Tensor forward(tg::Tensor x) {
    x = tg::relu(tg::max_pool2d(conv1->forward(x), 2));
    x = tg::relu(tg::max_pool2d(conv2_drop->forward(conv2->forward(x)), 2));
    x = x.view({-1, 320});
    x = tg::dropout(tg::relu(fc1->forward(x)), /*p=*/0.5, /*train=*/is_training());
    return tg::log_softmax(fc2->forward(x), /*dim=*/1);
  }

  tg::nn::Conv2d conv1, conv2;
  tg::nn::Dropout2d conv2_drop;
  tg::nn::Linear fc1, fc2;
};
TG_MODULE(Net);

template <class Loader>
void train(unsigned epoch, Net& model, Loader& loader, tg::optim::Optimizer& optimizer, std::size_t rows) {
  model->train();
  std::size_t batch_idx = 0, seen = 0;
  for (auto& batch : loader) {
    optimizer.zero_grad();
    tg::Tensor loss = tg::nll_loss(model->forward(batch.data), batch.target);
    const float value = loss.item<float>();
    if (!std::isfinite(value)) throw examples::ExitError(3, "the loss became " + std::to_string(value));
    loss.backward();
    optimizer.step();
    seen += static_cast<std::size_t>(batch.data.size(0));
    if (batch_idx++ % 100 == 0)
      std::printf("Train epoch %u [%5zu/%5zu] loss %.4f\n", epoch, seen, rows, static_cast<double>(value));
  }
}

template <class Loader>
void test(Net& model, Loader& loader, std::size_t rows) {
  tg::NoGradGuard no_grad;
  model->eval();
  double loss_sum = 0;
  std::int64_t correct = 0;
  for (const auto& batch : loader) {
    const tg::Tensor& targets = batch.target;
    const tg::Tensor output = model->forward(batch.data);
    loss_sum += tg::nll_loss(output, targets, /*weight=*/{}, tg::Reduction::Sum).item<double>();
    correct += output.argmax(1).eq(targets).sum().item<std::int64_t>();
  }
  std::printf("Test set: average loss %.4f, accuracy %.4f (%lld of %zu)\n", loss_sum / static_cast<double>(rows),
              static_cast<double>(correct) / static_cast<double>(rows), static_cast<long long>(correct), rows);
}

int run(const Config& c) {
  if (c.threads > 0) tg::set_num_threads(static_cast<int>(c.threads));
  tg::manual_seed(1);
  namespace data = tg::data;
  using data::datasets::MNIST;

  Net model;
  auto train_set = MNIST(data::mnist_dir(), MNIST::Mode::kTrain)
                       .map(data::transforms::Normalize<>(0.1307, 0.3081))
                       .map(data::transforms::Stack<>());
  const std::size_t train_rows = examples::rows_option(c.train_rows, train_set.size().value());
  // Upstream trains in file order (SequentialSampler), 64 images a batch.
  auto train_loader = data::make_data_loader(std::move(train_set), data::samplers::SequentialSampler(train_rows),
                                             data::DataLoaderOptions(64));

  auto test_set = MNIST(data::mnist_dir(), MNIST::Mode::kTest)
                      .map(data::transforms::Normalize<>(0.1307, 0.3081))
                      .map(data::transforms::Stack<>());
  const std::size_t test_rows = examples::rows_option(c.test_rows, test_set.size().value());
  auto test_loader = data::make_data_loader(std::move(test_set), data::samplers::SequentialSampler(test_rows),
                                            data::DataLoaderOptions(1000));

  tg::optim::SGD optimizer(model->parameters(), tg::optim::SGDOptions(0.01).momentum(0.5));

  std::cout << model << "\n";
  for (unsigned epoch = 1; epoch <= c.epochs; ++epoch) {
    const auto t0 = std::chrono::steady_clock::now();
    train(epoch, model, *train_loader, optimizer, train_rows);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("Epoch %u trained in %.1f s\n", epoch, seconds);
    test(model, *test_loader, test_rows);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return examples::run_main<Config>("libtorch_mnist", argc, argv, parse, run); }
