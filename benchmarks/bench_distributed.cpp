// Data-parallel MNIST training, one epoch (50000 samples, SGD lr 0.05 momentum 0.9) in four set-ups
// alternated in one job, for the MLP and the CNN:
//   1 process, 1 thread, batch 64 | 2 ranks of 32 rows, 1 thread each (the same total batch: strong
//   scaling) | 1 process, 2 threads, batch 64 (tg::ThreadPool) | 2 ranks of 64 rows each (total
//   batch 128: weak scaling, as docs/distributed.md's cost model assumes and DDP is mostly run)
// with samples/s, the speed-up over 1 process, and the gradient sync's share of a rank's step
// (the allreduce plus any wait for the other rank); then the time of one gradient allreduce of each
// model alone, through each of ProcessGroupMPI's paths (docs/distributed.md's cost model uses it).
//   OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 \
//     mpirun --oversubscribe --bind-to none -np 2 build/benchmarks/bench_distributed [--repeat R>=1] [--model mlp|cnn|both]
// "1 process" runs on rank 0 while rank 1 sleeps (it polls every millisecond, taking no core).
// --bind-to none: by default Open MPI binds each of 2 ranks to one core, and the "2 threads" run
// would share rank 0's; the bench says so when rank 0 has fewer cores than that run's threads.
#include <sched.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cli.hpp"
#include "mnist_models.hpp"

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kBatch = 64;

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Rank 1 sleeps until rank 0 is done with a solo run (an allreduce rank 0 joins at the end).
void solo(tg::distributed::ProcessGroupMPI& world, const std::function<void()>& run) {
  float token = 0;
  if (world.rank() == 0) run();
  auto work = world.allreduce_sum_async(&token, 1);
  while (!work.completed()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

struct Result {
  double seconds = 1e30, sync = 0;
  std::size_t steps = 0;
};

// The cores this process may run on (Open MPI binds each rank to one by default).
int cores_allowed() {
  cpu_set_t set;
  return sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 0;
}

// rows_per_rank: each rank's share of a step, when distributed (kBatch / ranks keeps the total batch).
Result epoch(const std::string& name, const tg::data::MNIST& data, int threads, bool distributed, std::uint64_t seed,
             std::size_t rows_per_rank = 0) {
  auto& world = tg::distributed::ProcessGroupMPI::world();
  tg::set_num_threads(threads);
  tg::manual_seed(seed);
  auto model = mnist::make_model(name);
  tg::optim::SGD opt(model->parameters(), tg::optim::SGDOptions(0.05).momentum(0.9));
  tg::data::ImageLoaderOptions options;
  options.batch_size = kBatch;
  options.flatten = mnist::takes_flat_images(name);
  const auto& train = data.split(tg::data::Split::Train);
  tg::data::DataLoader loader(train, options);
  Result r;
  if (!distributed) {
    const auto t0 = Clock::now();
    mnist::train_epoch(*model, loader, opt);
    r.seconds = since(t0);
    return r;
  }
  tg::distributed::DistributedDataParallel ddp(model.ptr(), world);
  const auto ranks = static_cast<std::size_t>(world.size());
  if (rows_per_rank == 0) rows_per_rank = kBatch / ranks;
  tg::data::DistributedSampler sampler(train.size(), ranks, static_cast<std::size_t>(world.rank()), rows_per_rank, seed);
  world.barrier();
  const auto t0 = Clock::now();
  mnist::train_epoch_distributed(*model, ddp, sampler, loader, opt,
                                 [&](std::size_t, double) { r.sync += ddp.last_sync_seconds(); });
  r.seconds = since(t0);
  r.steps = sampler.steps();
  return r;
}

// Seconds of one allreduce of the model's gradients (median of many), through DDP's buckets.
double allreduce_seconds(const std::string& name, tg::distributed::ProcessGroupMPI::AllreducePath path, std::size_t& floats) {
  auto& world = tg::distributed::ProcessGroupMPI::world();
  const auto default_path = world.allreduce_path();
  world.set_allreduce_path(path);
  auto model = mnist::make_model(name);
  for (auto& p : model->parameters()) {
    const auto& meta = p.variable<float>().meta();
    meta->grad = tg::Array<float>(xt::zeros<float>(meta->shape)), meta->has_grad = true;
  }
  floats = model->parameter_count();
  tg::distributed::DistributedDataParallel ddp(model.ptr(), world);
  std::vector<double> t;
  for (int i = 0; i < 500; ++i) {
    ddp.sync_gradients();
    t.push_back(ddp.last_sync_seconds());
  }
  world.set_allreduce_path(default_path);
  std::nth_element(t.begin(), t.begin() + 250, t.end());
  return t[250];
}

struct Config {
  int repeat;
  std::string model;
};

// Every rank parses the same command line, before MPI starts: a usage error ends each rank alike.
std::optional<Config> parse(int argc, char** argv) {
  namespace po = boost::program_options;
  Config c;
  po::options_description opts(
      "bench_distributed: one MNIST epoch on 1 process, on 2 ranks (under mpirun -np 2; the same total batch,\n"
      "and the same batch per rank) and on 2 threads, alternating, and the time of one gradient allreduce\n\nOptions");
  opts.add_options()
    ("help,h", "print this help and exit")
    ("repeat", po::value(&c.repeat)->default_value(2), "epochs of each set-up (the best is printed)")
    ("model", po::value(&c.model)->default_value("both"), "mlp, cnn or both");
  if (!examples::parse_options(opts, argc, argv)) return std::nullopt;
  examples::check_at_least("--repeat", c.repeat, 1);
  examples::check_one_of("--model", c.model, {"mlp", "cnn", "both"});
  return c;
}

int run(const Config& c) {
  auto& world = tg::distributed::ProcessGroupMPI::world();
  return tg::distributed::run_or_abort([&] {
    const int repeat = c.repeat;
    const std::string& which = c.model;
    if (world.size() != 2) throw tg::Error("run under mpirun -np 2");
    const tg::data::MNIST data(tg::data::mnist_dir());
    const double n = static_cast<double>(data.split(tg::data::Split::Train).size());
    const bool lead = world.rank() == 0;
    if (lead) std::printf("one epoch, batch %zu (2 ranks: %zu rows each, then %zu each), best of %d, set-ups alternated\n", kBatch, kBatch / 2, kBatch, repeat);
    if (lead && cores_allowed() < 2)
      std::printf("rank 0 may run on %d core: the 2-thread run shares it (mpirun --bind-to none lifts that)\n", cores_allowed());
    std::vector<std::string> models = which == "both" ? std::vector<std::string>{"mlp", "cnn"} : std::vector<std::string>{which};
    for (const auto& name : models) {
      Result one, ranks2, threads2, weak2;
      for (int r = 0; r < repeat; ++r) {
        solo(world, [&] { one.seconds = std::min(one.seconds, epoch(name, data, 1, false, 1 + r).seconds); });
        const Result d = epoch(name, data, 1, true, 1 + r);
        if (d.seconds < ranks2.seconds) ranks2 = d;
        solo(world, [&] { threads2.seconds = std::min(threads2.seconds, epoch(name, data, 2, false, 1 + r).seconds); });
        const Result w = epoch(name, data, 1, true, 1 + r, kBatch);
        if (w.seconds < weak2.seconds) weak2 = w;
      }
      if (lead)
        std::printf("%s  1 process: %.0f samples/s | 2 ranks: %.0f samples/s (%.2fx; step %.0f us, gradient sync %.0f us = %.1f%%) | "
                    "2 threads: %.0f samples/s (%.2fx)\n",
                    name.c_str(), n / one.seconds, n / ranks2.seconds, one.seconds / ranks2.seconds,
                    1e6 * ranks2.seconds / double(ranks2.steps), 1e6 * ranks2.sync / double(ranks2.steps),
                    100 * ranks2.sync / ranks2.seconds, n / threads2.seconds, one.seconds / threads2.seconds);
      if (lead)
        std::printf("%s  2 ranks of %zu rows each (total batch %zu): %.0f samples/s (%.2fx; step %.0f us, gradient sync %.0f us = %.1f%%)\n",
                    name.c_str(), kBatch, 2 * kBatch, n / weak2.seconds, one.seconds / weak2.seconds,
                    1e6 * weak2.seconds / double(weak2.steps), 1e6 * weak2.sync / double(weak2.steps),
                    100 * weak2.sync / weak2.seconds);
      using Path = tg::distributed::ProcessGroupMPI::AllreducePath;
      std::size_t floats = 0;
      const double shared = allreduce_seconds(name, Path::SharedMemory, floats), mpi = allreduce_seconds(name, Path::MPI, floats);
      if (lead)
        std::printf("%s  gradient allreduce alone, 2 ranks: %zu floats (%.0f KiB), shared memory %.1f us, MPI_Allreduce %.1f us "
                    "(median of 500)\n",
                    name.c_str(), floats, floats * 4 / 1024.0, shared * 1e6, mpi * 1e6);
    }
    return 0;
  });
}

}  // namespace

int main(int argc, char** argv) { return examples::run_main<Config>("bench_distributed", argc, argv, parse, run); }
