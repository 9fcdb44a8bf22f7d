// One training epoch of the MNIST trainers (50000 samples, batch 64 or --batch-size, SGD lr 0.05, momentum 0.9),
// through tapegrad and, when built with -DTAPEGRAD_WITH_LIBTORCH=ON, through LibTorch 1.13 in the
// same process run: samples/s of each and the ratio.
// With --compare-threads N it instead alternates tapegrad epochs on 1 thread and on N threads
// (tg::set_num_threads; the batch split over tapegrad's pool) and prints the speed-up, after how fast
// each CPU runs a GEMM alone and with the others busy. A third run, N independent replicas (batch/N rows
// each, nothing summed), gives the most any data-parallel step on N threads could gain.
// --phases adds where the best epochs' steps spent their time.
//   usage: bench_mnist [--model mlp|cnn|both] [--threads N>=1] [--repeat R>=1] [--batch-size B>=1]
//                      [--compare-threads N>=1 [--phases]]
#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <tapegrad/core/blas.hpp>
#include <tapegrad/kernels/dispatch.hpp>

#include "cli.hpp"
#include "mnist_models.hpp"
#include "progress.hpp"
#ifdef TAPEGRAD_WITH_LIBTORCH
#include "libtorch_peer.hpp"
#endif

namespace {

constexpr double kLr = 0.05, kMomentum = 0.9;

double peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;
}

// Seconds of one tapegrad epoch (training only, as the peer measures it) and the validation accuracy;
// the step's phases into `phases` when given.
std::pair<double, double> tapegrad_epoch(const std::string& name, const tg::data::MNIST& data, std::size_t batch,
                                         std::uint64_t seed, mnist::StepPhases* phases = nullptr) {
  tg::manual_seed(seed);
  auto model = mnist::make_model(name);
  tg::optim::SGD opt(model->parameters(), tg::optim::SGDOptions(kLr).momentum(kMomentum));
  tg::data::ImageLoaderOptions options;
  options.batch_size = batch;
  options.flatten = mnist::takes_flat_images(name);
  tg::data::DataLoader loader(data.split(tg::data::Split::Train), options);
  const auto t0 = std::chrono::steady_clock::now();
  mnist::train_epoch(*model, loader, opt, {}, phases);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return {seconds, mnist::accuracy(*model, data.split(tg::data::Split::Valid), options.flatten)};
}

// The most any data-parallel step on n threads can gain: n replicas of the model on n threads, each
// training on its own share of every batch (batch / n rows, tg::data::DistributedSampler) with
// nothing shared and nothing summed, for the steps of one epoch. A synchronous step adds the gradient
// sum, the weights' moves between cores and the wait for the slower thread. Returns the epoch's
// seconds: from the moment all replicas are built to the moment the last one ends.
double independent_replicas_epoch(const std::string& name, const tg::data::MNIST& data, std::size_t batch, int n,
                                  std::uint64_t seed) {
  const auto& train = data.split(tg::data::Split::Train);
  const auto threads = static_cast<std::size_t>(n);
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::chrono::steady_clock::time_point t0;
  std::vector<std::thread> replicas;
  for (std::size_t t = 0; t < threads; ++t)
    replicas.emplace_back([&, t] {
      tg::manual_seed(seed);  // the generator is per thread
      auto model = mnist::make_model(name);
      tg::optim::SGD opt(model->parameters(), tg::optim::SGDOptions(kLr).momentum(kMomentum));
      tg::data::ImageLoaderOptions options;
      options.flatten = mnist::takes_flat_images(name);
      const tg::data::DataLoader loader(train, options);
      const tg::data::DistributedSampler sampler(train.size(), threads, t, std::max<std::size_t>(1, batch / threads), seed);
      if (++ready == n) t0 = std::chrono::steady_clock::now(), go = true;
      while (!go) std::this_thread::yield();
      for (std::size_t step = 0; step < sampler.steps(); ++step) {
        const auto rows = sampler.rows(step);
        if (rows.empty()) continue;
        const tg::data::Batch batch = loader.batch(rows);
        opt.zero_grad();
        mnist::cross_entropy_loss(model->forward(batch.data), batch.target).backward();
        opt.step();
      }
    });
  for (auto& r : replicas) r.join();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// How fast each CPU runs the MLP's forward GEMM pinned to it, alone and with every CPU running it at
// once: a virtual machine's CPUs need not be equal (the host may run another guest on a CPU's
// hyperthread sibling), and a split into equal halves runs at the slower one's pace. The kernel
// itself, not tg::blas::gemm, which would split the product over the pool.
void print_cpu_speeds() {
  const unsigned cpus = std::thread::hardware_concurrency();
  if (cpus < 2) return;
  const tg::Array<float> x = tg::randn<float>({32, 784}), w = tg::randn<float>({50, 784});
  auto timed_loop = [&](unsigned cpu, double& ms) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);
    std::vector<float> y(32 * 50);
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < 2000; ++i)
      tg::kernels::gemm<float>(false, true, 32, 50, 784, 1.f, x.data(), 784, w.data(), 784, 0.f, y.data(), 50);
    ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  };
  std::vector<double> alone(cpus), together(cpus);
  for (unsigned c = 0; c < cpus; ++c) std::thread([&, c] { timed_loop(c, alone[c]); }).join();
  std::vector<std::thread> all;
  for (unsigned c = 0; c < cpus; ++c) all.emplace_back([&, c] { timed_loop(c, together[c]); });
  for (auto& t : all) t.join();
  std::printf("CPU speeds (2000 forward GEMMs of the MLP's, pinned):");
  for (unsigned c = 0; c < cpus; ++c) std::printf(" cpu%u %.0f ms alone, %.0f ms together;", c, alone[c], together[c]);
  std::printf("\n");
}

// "batch 20.1  zero_grad 3.9  ..." in µs a step.
std::string phase_line(const mnist::StepPhases& p) {
  const double us = 1e6 / static_cast<double>(std::max<std::size_t>(p.steps, 1));
  char line[160];
  std::snprintf(line, sizeof line, "batch %6.1f  zero_grad %5.1f  forward+backward %6.1f  step %5.1f  (us a step)",
                p.batch * us, p.zero_grad * us, p.forward_backward * us, p.step * us);
  return line;
}

// Alternates 1-thread and n-thread epochs; prints the best of each and the ratio, and with `phases`
// the best epochs' steps phase by phase.
void compare_threads(const std::vector<std::string>& models, const tg::data::MNIST& data, std::size_t batch, int n,
                     int repeat, bool phases) {
  const double rows = static_cast<double>(data.split(tg::data::Split::Train).size());
  std::printf("tapegrad, 1 thread against %d (pool of %d), alternating; best of %d; OpenBLAS core %s\n", n,
              std::min<int>(n, static_cast<int>(std::thread::hardware_concurrency())), repeat, tg::blas::core_name());
  print_cpu_speeds();
  for (const auto& name : models) {
    double best[3] = {1e30, 1e30, 1e30};  // 1 thread, n threads, n independent replicas
    mnist::StepPhases best_phases[2];
    examples::Progress progress;
    for (int r = 0; r < repeat; ++r)
      for (int k = 0; k < 3; ++k) {
        progress.show("%s: run %d of %d ...", name.c_str(), r + 1, repeat);
        tg::set_num_threads(k == 1 ? n : 1);
        mnist::StepPhases p;
        const double seconds = k == 2 ? independent_replicas_epoch(name, data, batch, n, 1 + r)
                                      : tapegrad_epoch(name, data, batch, 1 + r, phases ? &p : nullptr).first;
        if (seconds < best[k]) {
          best[k] = seconds;
          if (k < 2) best_phases[k] = p;
        }
      }
    progress.clear();
    std::printf("%s  1 thread: %.3f s, %.0f samples/s | %d threads: %.3f s, %.0f samples/s | speed-up %.2fx\n",
                name.c_str(), best[0], rows / best[0], n, best[1], rows / best[1], best[0] / best[1]);
    std::printf("%s  ceiling: %d independent replicas of batch %zu, nothing summed: %.3f s, %.0f samples/s, %.2fx\n",
                name.c_str(), n, std::max<std::size_t>(1, batch / static_cast<std::size_t>(n)), best[2], rows / best[2], best[0] / best[2]);
    if (phases)
      for (int k = 0; k < 2; ++k)
        std::printf("%s  %d thread%s: %s\n", name.c_str(), k ? n : 1, k && n > 1 ? "s" : " ",
                    phase_line(best_phases[k]).c_str());
  }
}

struct Config {
  std::string model;
  int threads, repeat, compare_threads = 0;  // 0: no comparison
  int batch_size = 64;
  bool phases = false;
};

std::optional<Config> parse(int argc, char** argv) {
  namespace po = boost::program_options;
  Config c;
  po::options_description opts(
      "bench_mnist: one MNIST training epoch through tapegrad (and LibTorch, when built with it), or with\n"
      "--compare-threads, tapegrad on 1 thread against N\n\nOptions");
  opts.add_options()
    ("help,h", "print this help and exit")
    ("model", po::value(&c.model)->default_value("both"), "mlp, cnn or both")
    ("threads", po::value(&c.threads)->default_value(1), "threads of tapegrad's pool and of LibTorch")
    ("repeat", po::value(&c.repeat)->default_value(3), "epochs of each (the best is printed)")
    ("batch-size", po::value(&c.batch_size)->default_value(64)->notifier([](int b) {
       examples::check_at_least("--batch-size", b, 1);
     }),
     "rows a step (a larger step gives threads more to split)")
    ("compare-threads", po::value(&c.compare_threads)->notifier([](int n) {
       examples::check_at_least("--compare-threads", n, 1);
     }),
     "alternate tapegrad epochs on 1 thread, on N threads and as N independent replicas instead, and "
     "print the speed-ups")
    ("phases", po::bool_switch(&c.phases),
     "with --compare-threads: also where the best epochs' steps spent their time (batch, zero_grad, "
     "forward+backward, optimizer step)");
  if (!examples::parse_options(opts, argc, argv)) return std::nullopt;
  examples::check_one_of("--model", c.model, {"mlp", "cnn", "both"});
  examples::check_at_least("--threads", c.threads, 1);
  examples::check_at_least("--repeat", c.repeat, 1);
  if (c.phases && c.compare_threads == 0)
    throw boost::program_options::error("--phases: expected --compare-threads N with it");
  return c;
}

int run(const Config& c) {
  const std::string& which = c.model;
  const int threads = c.threads, repeat = c.repeat, compare = c.compare_threads;
  tg::set_num_threads(threads);
  const tg::data::MNIST data(tg::data::mnist_dir());
  const auto& train = data.split(tg::data::Split::Train);
  std::vector<std::string> models = which == "both" ? std::vector<std::string>{"mlp", "cnn"}
                                                    : std::vector<std::string>{which};
  if (compare > 0) {
    compare_threads(models, data, static_cast<std::size_t>(c.batch_size), compare, repeat, c.phases);
    return 0;
  }
  std::printf("one epoch of %zu samples, batch %zu, SGD lr %.2f momentum %.1f, %d thread(s); best of %d; OpenBLAS core %s\n",
              train.size(), static_cast<std::size_t>(c.batch_size), kLr, kMomentum, threads, repeat, tg::blas::core_name());
#ifdef TAPEGRAD_WITH_LIBTORCH
  const auto& valid = data.split(tg::data::Split::Valid);
  const peer::Data peer_data{train.images.data(), nullptr, train.size(), valid.images.data(), nullptr, valid.size(),
                             static_cast<float>(train.mean), static_cast<float>(train.std)};
  std::vector<std::uint8_t> train_labels(train.labels.begin(), train.labels.end());
  std::vector<std::uint8_t> valid_labels(valid.labels.begin(), valid.labels.end());
  peer::Data d = peer_data;
  d.train_labels = train_labels.data();
  d.valid_labels = valid_labels.data();
#endif
  for (const auto& name : models) {
    // Alternate the two frameworks so that machine noise hits both alike; keep each one's best.
    double tg_best = 1e30, tg_acc = 0;
#ifdef TAPEGRAD_WITH_LIBTORCH
    double lt_best = 1e30, lt_acc = 0;
#endif
    examples::Progress progress;
    for (int r = 0; r < repeat; ++r) {
      progress.show("%s: run %d of %d ...", name.c_str(), r + 1, repeat);
      auto [s, acc] = tapegrad_epoch(name, data, static_cast<std::size_t>(c.batch_size), 1 + r);
      if (s < tg_best) tg_best = s, tg_acc = acc;
#ifdef TAPEGRAD_WITH_LIBTORCH
      const auto p = peer::libtorch_epoch(name, d, c.batch_size, kLr, kMomentum, threads, 1 + r);
      if (p.seconds < lt_best) lt_best = p.seconds, lt_acc = p.valid_accuracy;
#endif
    }
    progress.clear();
    std::printf("%s  tapegrad: %.3f s, %.0f samples/s, validation %.2f%%", name.c_str(), tg_best,
                train.size() / tg_best, 100 * tg_acc);
#ifdef TAPEGRAD_WITH_LIBTORCH
    std::printf(" | LibTorch: %.3f s, %.0f samples/s, validation %.2f%% | tapegrad/LibTorch speed: %.2fx", lt_best,
                train.size() / lt_best, 100 * lt_acc, lt_best / tg_best);
#endif
    std::printf("\n");
  }
  std::printf("peak RSS of this process: %.1f MiB%s\n", peak_rss_mib(),
#ifdef TAPEGRAD_WITH_LIBTORCH
              " (includes LibTorch's float copy of the dataset)"
#else
              ""
#endif
  );
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return examples::run_main<Config>("bench_mnist", argc, argv, parse, run); }
