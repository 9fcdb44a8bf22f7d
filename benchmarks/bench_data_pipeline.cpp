// One shuffled epoch of MNIST's 60000 training images in batches of 64, normalised, through the
// trainers' DataLoader and through LibTorch's pipeline as upstream's MNIST example builds it
// (datasets::MNIST, Normalize<>(0.1307, 0.3081), Stack<>, make_data_loader with 0 and 2 workers).
// With TAPEGRAD_WITH_LIBTORCH, LibTorch's own pipeline (the same chain, 0 and 2 workers) runs in the
// same alternation. Each figure is the median of the runs, in ms per epoch, with the ratio to the
// DataLoader's in the same run. Nothing trains: this is the cost of the batches alone.
//   usage: TAPEGRAD_DATA_DIR=... ./benchmarks/bench_data_pipeline [--runs R>=1]
#include <tapegrad/tapegrad.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "cli.hpp"
#ifdef TAPEGRAD_WITH_LIBTORCH
#include "libtorch_peer.hpp"
#endif

namespace {

using Clock = std::chrono::steady_clock;

double median(std::vector<double> t) {
  std::nth_element(t.begin(), t.begin() + t.size() / 2, t.end());
  return t[t.size() / 2];
}

struct Config {
  int runs;
};

std::optional<Config> parse(int argc, char** argv) {
  namespace po = boost::program_options;
  Config c;
  po::options_description opts(
      "bench_data_pipeline: one shuffled MNIST epoch's batches through the trainers' DataLoader and through\n"
      "make_data_loader (and LibTorch's pipeline, when built with it)\n\nOptions");
  opts.add_options()
    ("help,h", "print this help and exit")
    ("runs", po::value(&c.runs)->default_value(7), "epochs of each pipeline, alternating (the median is printed)");
  if (!examples::parse_options(opts, argc, argv)) return std::nullopt;
  examples::check_at_least("--runs", c.runs, 1);
  return c;
}

int run(const Config& c) {
  const int runs = c.runs;
  const std::string root = tg::data::mnist_dir();
  namespace transforms = tg::data::transforms;

  // The trainers' loader over the same 60000 rows, normalised with the same mean and std (in raw
  // pixel units).
  tg::data::Dataset raw = tg::data::read_mnist_files(root, "train");
  raw.mean = 0.1307 * 255.0;
  raw.std = 0.3081 * 255.0;
  tg::data::ImageLoaderOptions old_options;
  old_options.batch_size = 64;
  tg::data::DataLoader old_loader(raw, old_options);

  auto pipeline = [&](std::size_t workers) {
    return tg::data::make_data_loader(
        tg::data::datasets::MNIST(root).map(transforms::Normalize<>(0.1307, 0.3081)).map(transforms::Stack<>()),
        tg::data::DataLoaderOptions().batch_size(64).workers(workers));
  };
  auto serial = pipeline(0);
  auto threaded = pipeline(2);

#ifdef TAPEGRAD_WITH_LIBTORCH
  peer::MnistPipeline torch_serial(root, 0), torch_threaded(root, 2);
  std::vector<double> t_torch_serial, t_torch_threaded;
#endif
  double sink = 0.0;
  std::vector<double> t_old, t_serial, t_threaded;
  auto time_epoch = [&](auto&& loop) {
    const auto t0 = Clock::now();
    loop();
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  };
  for (int r = 0; r < runs; ++r) {
    t_old.push_back(time_epoch([&] {
      for (const tg::data::Batch& b : old_loader) sink += b.data.data_ptr<float>()[0];
    }));
    t_serial.push_back(time_epoch([&] {
      for (auto& b : *serial) sink += b.data.data_ptr<float>()[0];
    }));
    t_threaded.push_back(time_epoch([&] {
      for (auto& b : *threaded) sink += b.data.data_ptr<float>()[0];
    }));
#ifdef TAPEGRAD_WITH_LIBTORCH
    t_torch_serial.push_back(torch_serial.epoch_ms());
    t_torch_threaded.push_back(torch_threaded.epoch_ms());
#endif
  }
  const double old_ms = median(t_old);
  std::printf("MNIST train epoch (60000 images, batch 64, shuffled), median of %d alternating runs:\n", runs);
  std::printf("  DataLoader (trainers' loader)                      %8.1f ms   1.00x\n", old_ms);
  std::printf("  make_data_loader, MNIST+Normalize+Stack, 0 workers  %8.1f ms   %.2fx the DataLoader's time\n",
              median(t_serial), median(t_serial) / old_ms);
  std::printf("  make_data_loader, MNIST+Normalize+Stack, 2 workers  %8.1f ms   %.2fx the DataLoader's time\n",
              median(t_threaded), median(t_threaded) / old_ms);
#ifdef TAPEGRAD_WITH_LIBTORCH
  std::printf("  LibTorch 1.13, the same pipeline, 0 workers         %8.1f ms   %.2fx the DataLoader's time\n",
              median(t_torch_serial), median(t_torch_serial) / old_ms);
  std::printf("  LibTorch 1.13, the same pipeline, 2 workers         %8.1f ms   %.2fx the DataLoader's time\n",
              median(t_torch_threaded), median(t_torch_threaded) / old_ms);
#endif
  std::printf("(checksum %g)\n", sink);
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return examples::run_main<Config>("bench_data_pipeline", argc, argv, parse, run); }
