// A LibTorch user's distributed MNIST program, written against tapegrad: the model, settings and
// c10d calls of pytorch/examples' cpp/distributed/dist-mnist.cpp (an MPI process group, each
// parameter's gradient allreduced after backward and divided by the ranks, SGD lr 0.01, a total
// batch of 64 split over the ranks by DistributedRandomSampler, the test on rank 0). Only the names
// say `tg::` and `tg::distributed::` where upstream says `torch::` and `c10d::`.
//   OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 mpirun -np 2 build/examples/libtorch_dist_mnist
// reads $TAPEGRAD_DATA_DIR/mnist (scripts/setup.sh puts MNIST there). tg::nn::DistributedDataParallel-
// style training with buckets is train_mnist --distributed; this is the explicit form.
#include <boost/program_options.hpp>

#include <cstdint>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <vector>

#include <tapegrad/tapegrad.hpp>

#include "cli.hpp"

namespace po = boost::program_options;
namespace c10d = tg::distributed;

namespace {

struct Config {
  unsigned epochs;
  std::size_t train_rows, test_rows;
};

std::optional<Config> parse(int argc, char** argv) {
  Config c;
  po::options_description opts(
      "libtorch_dist_mnist: upstream LibTorch's distributed MNIST example (gradients allreduced after\n"
      "backward, SGD lr 0.01, total batch 64), written with tapegrad's LibTorch-style API; run it under\n"
      "mpirun -np N\n\nOptions");
  opts.add_options()
    ("help,h", "print this help and exit")
    ("epochs", po::value(&c.epochs)->default_value(1), "training epochs (upstream: 10)")
    ("train-rows", po::value(&c.train_rows)->default_value(0), "train on the first N of the 60000 images (0: all)")
    ("test-rows", po::value(&c.test_rows)->default_value(0), "test on the first N of the 10000 images (0: all)");
  if (!examples::parse_options(opts, argc, argv)) return std::nullopt;
  if (c.epochs == 0) throw po::error("--epochs must be >= 1");
  return c;
}

// Upstream's network, a plain Module held by a shared_ptr: 28x28 -> conv 5x5 (10) -> pool -> relu ->
// conv 5x5 (20) -> Dropout2d -> pool -> relu -> 320 -> 50 -> dropout 0.5 -> 10 -> log_softmax.
struct Model : tg::nn::Module {
  Model() : conv1(tg::nn::Conv2dOptions(1, 10, 5)), conv2(tg::nn::Conv2dOptions(10, 20, 5)), fc1(320, 50), fc2(50, 10) {
    register_module("conv1", conv1);
    register_module("conv2", conv2);
    register_module("conv2_drop", conv2_drop);
    register_module("fc1", fc1);
    register_module("fc2", fc2);
  }

  tg::Tensor forward(tg::Tensor x) {
    x = tg::relu(tg::max_pool2d(conv1->forward(x), 2));
    x = tg::relu(tg::max_pool2d(conv2_drop->forward(conv2->forward(x)), 2));
    x = tg::relu(fc1->forward(x.view({-1, 320})));
    x = tg::dropout(x, 0.5, is_training());
    return tg::log_softmax(fc2->forward(x), 1);
  }

  tg::nn::Conv2d conv1, conv2;
  tg::nn::Dropout2d conv2_drop;
  tg::nn::Linear fc1, fc2;
};

// Waits for every allreduce; one that fails ends the whole job (upstream's waitWork).
void wait_all(const std::shared_ptr<c10d::ProcessGroupMPI>& pg,
              const std::vector<std::shared_ptr<c10d::ProcessGroup::Work>>& works) {
  for (const auto& work : works) {
    try {
      work->wait();
    } catch (const std::exception& e) {
      std::cerr << "allreduce failed: " << e.what() << std::endl;
      pg->abort();
    }
  }
}

int run(const Config& c) {
  auto pg = c10d::ProcessGroupMPI::createProcessGroupMPI();
  return c10d::run_or_abort([&] {
    const int ranks = pg->getSize(), rank = pg->getRank();
    namespace data = tg::data;
    using data::datasets::MNIST;

    auto train_set = MNIST(data::mnist_dir())
                         .map(data::transforms::Normalize<>(0.1307, 0.3081))
                         .map(data::transforms::Stack<>());
    const std::size_t train_rows = examples::rows_option(c.train_rows, train_set.size().value());
    // Each rank draws its share of every epoch's shuffled order, none twice (allow_duplicates false).
    auto sampler = data::samplers::DistributedRandomSampler(train_rows, static_cast<std::size_t>(ranks),
                                                            static_cast<std::size_t>(rank), false);
    const std::size_t rows_per_rank = train_rows / static_cast<std::size_t>(ranks);
    const std::size_t batch_per_rank = 64 / static_cast<std::size_t>(ranks);
    auto loader = data::make_data_loader(std::move(train_set), sampler, batch_per_rank);

    tg::manual_seed(0);  // the same initial weights on every rank
    auto model = std::make_shared<Model>();
    tg::optim::SGD optimizer(model->parameters(), 1e-2);

    for (unsigned epoch = 1; epoch <= c.epochs; ++epoch) {
      std::int64_t correct = 0;
      for (auto& batch : *loader) {
        const tg::Tensor input = batch.data.to(tg::kF32), target = batch.target.squeeze().to(tg::kLong);
        model->zero_grad();
        const tg::Tensor prediction = model->forward(input);
        tg::nll_loss(tg::log_softmax(prediction, 1), target).backward();
        // The mean gradient over the ranks: each one summed over them, then divided by their number.
        std::vector<std::shared_ptr<c10d::ProcessGroup::Work>> works;
        for (auto& param : model->named_parameters()) {
          std::vector<tg::Tensor> grad = {param.value().grad()};
          works.push_back(pg->allreduce(grad));
          param.value().grad().data() = param.value().grad().data() / ranks;
        }
        wait_all(pg, works);
        optimizer.step();
        correct += tg::sum(prediction.argmax(1).eq_(target)).item<std::int64_t>();
      }
      std::printf("Rank %d, epoch %u: training accuracy %.2f%%\n", rank, epoch,
                  100.0 * static_cast<double>(correct) / static_cast<double>(rows_per_rank));
    }

    if (rank == 0) {
      auto test_set = MNIST(data::mnist_dir(), MNIST::Mode::kTest)
                          .map(data::transforms::Normalize<>(0.1307, 0.3081))
                          .map(data::transforms::Stack<>());
      const std::size_t test_rows = examples::rows_option(c.test_rows, test_set.size().value());
      auto test_loader = data::make_data_loader(std::move(test_set), data::samplers::SequentialSampler(test_rows),
                                                data::DataLoaderOptions(test_rows));
      model->eval();
      tg::NoGradGuard no_grad;
      std::int64_t correct = 0;
      for (auto& batch : *test_loader) {
        const tg::Tensor target = batch.target.squeeze().to(tg::kLong);
        const tg::Tensor prediction = model->forward(batch.data.to(tg::kF32));
        std::printf("Test loss %.4f\n", tg::nll_loss(tg::log_softmax(prediction, 1), target).item<double>());
        correct += tg::sum(prediction.argmax(1).eq_(target)).item<std::int64_t>();
      }
      std::printf("Test accuracy %.2f%% (%lld of %zu)\n", 100.0 * static_cast<double>(correct) / static_cast<double>(test_rows),
                  static_cast<long long>(correct), test_rows);
    }
    return 0;
  });
}

}  // namespace

int main(int argc, char** argv) {
  return examples::run_main<Config>("libtorch_dist_mnist", argc, argv, parse, run);
}
