// Trains an MLP or a CNN on MNIST or Fashion-MNIST with SGD, printing per epoch the training loss,
// validation accuracy, time and throughput, and at the end the test accuracy.
//   build/examples/train_mnist --model cnn --epochs 3
// Exit codes: 0 done, 1 failed (unreadable data or --load file, failed write), 2 usage error (bad
// option or output path, found before any work), 3 the training loss became NaN or infinite.
#include <boost/program_options.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <optional>
#include <vector>

#include "mnist_models.hpp"

#include "cli.hpp"
#include "gnuplot.hpp"
#include "progress.hpp"

namespace po = boost::program_options;

namespace {

struct Config {
  std::string model, dataset, data_dir, save, load, metrics_csv, schedule, graph, plot;
  int epochs, threads;
  bool distributed = false;
  std::size_t batch_size, train_rows;
  double lr, momentum, weight_decay;
  std::uint64_t seed;
};

// Parses the command line; prints help and returns nothing when --help is given. Throws
// po::error (a usage error) for bad values.
std::optional<Config> parse(int argc, char** argv) {
  Config c;
  po::options_description opts(
      "train_mnist: train an MLP or CNN on MNIST with tapegrad\n\n"
      "Exit codes: 0 done; 1 failed (unreadable data or --load file, failed write); 2 usage error (bad option\n"
      "or output path, found before any work); 3 the training loss became NaN or infinite (lower --lr).\n\nOptions");
  opts.add_options()
    ("help,h", "print this help and exit")
    ("model", po::value(&c.model)->default_value("mlp"), "mlp (784-50-10) or cnn (three stride-2 convs)")
    ("dataset", po::value(&c.dataset)->default_value("mnist"), "mnist or fashion (Fashion-MNIST)")
    ("data-dir", po::value(&c.data_dir), "folder holding the four IDX files (default: $TAPEGRAD_DATA_DIR/mnist, "
                                         "or /usr/share/datasets/fashion-mnist for fashion)")
    ("epochs", po::value(&c.epochs)->default_value(5), "training epochs (0: only evaluate, e.g. with --load)")
    ("batch-size", po::value(&c.batch_size)->default_value(64), "mini-batch size")
    ("lr", po::value(&c.lr)->default_value(0.05), "SGD learning rate")
    ("momentum", po::value(&c.momentum)->default_value(0.9), "SGD momentum")
    ("weight-decay", po::value(&c.weight_decay)->default_value(0.0), "SGD weight decay (L2)")
    ("schedule", po::value(&c.schedule)->default_value("cosine"),
     "learning-rate schedule over the whole run: cosine (anneal to 0 by the last step) or constant")
    ("seed", po::value(&c.seed)->default_value(1), "seed of the initialisation and the shuffling")
    ("threads", po::value(&c.threads)->default_value(1),
     "threads of tapegrad's pool: each runs a slice of the batch (capped at the cores)")
    ("distributed", po::bool_switch(&c.distributed),
     "data-parallel over the processes mpirun started (mpirun -np 2 train_mnist --distributed); --batch-size "
     "is the total over them; rank 0 prints and writes the outputs")
    ("train-rows", po::value(&c.train_rows)->default_value(0), "train on only the first N training rows (0: all)")
    ("save", po::value(&c.save), "write the trained parameters to this .npz file")
    ("load", po::value(&c.load), "start from the parameters in this .npz file")
    ("metrics-csv", po::value(&c.metrics_csv), "write one CSV row per epoch to this file")
    ("graph", po::value(&c.graph), "write the graph of the first training step to this Graphviz .dot file")
    ("plot", po::value(&c.plot), "draw the learning curves to this PNG at the end (needs gnuplot)");
  if (!examples::parse_options(opts, argc, argv)) return std::nullopt;
  auto bad = [](const std::string& what) { throw po::error(what); };
  if (c.model != "mlp" && c.model != "cnn") bad("--model must be mlp or cnn, got '" + c.model + "'");
  if (c.dataset != "mnist" && c.dataset != "fashion") bad("--dataset must be mnist or fashion, got '" + c.dataset + "'");
  if (c.epochs < 0) bad("--epochs must be >= 0");
  if (c.batch_size == 0) bad("--batch-size must be >= 1");
  if (!(c.lr > 0)) bad("--lr must be > 0");
  if (!(c.momentum >= 0 && c.momentum < 1)) bad("--momentum must be in [0, 1)");
  if (!(c.weight_decay >= 0)) bad("--weight-decay must be >= 0");
  if (c.threads < 1) bad("--threads must be >= 1");
#ifndef TAPEGRAD_HAS_DISTRIBUTED
  if (c.distributed)
    bad("--distributed: this tapegrad was built without MPI; install Open MPI (apt-get install libopenmpi-dev "
        "openmpi-bin, or run scripts/setup.sh), then configure and build again");
#endif
  if (c.schedule != "cosine" && c.schedule != "constant")
    bad("--schedule must be cosine or constant, got '" + c.schedule + "'");
  examples::check_output("--save", c.save);
  examples::check_output("--metrics-csv", c.metrics_csv);
  examples::check_output("--graph", c.graph);
  examples::check_output("--plot", c.plot);
  if (c.data_dir.empty())
    c.data_dir = c.dataset == "mnist" ? tg::data::mnist_dir() : tg::data::fashion_mnist_dir();
  return c;
}

// What the learning curves are drawn from: the training loss averaged over runs of steps, and one
// row per epoch.
struct Curves {
  std::vector<std::vector<double>> steps;   // epoch (fractional), mean training loss, learning rate
  std::vector<std::vector<double>> epochs;  // epoch, training loss, validation loss, validation accuracy (%), samples/s
};

void draw_curves(const Curves& curves, const std::string& png, const std::string& title) {
  examples::Gnuplot plot(png, 1200, 800);
  plot.data("steps", curves.steps);
  plot.data("epochs", curves.epochs);
  plot << "set multiplot layout 2,2 title '" << title << "'\n"
       << "set xlabel 'epoch'\nset grid\nset key top right\n"
          "set title 'loss'\nset logscale y\n"
          "plot $steps using 1:2 with lines lc rgb '#9ecae1' title 'training, mean of ~1/50 epoch', "
          "$epochs using 1:2 with linespoints lw 2 lc rgb '#08519c' title 'training, per epoch', "
          "$epochs using 1:3 with linespoints lw 2 lc rgb '#e6550d' title 'validation'\n"
          "unset logscale y\nset title 'validation accuracy (%)'\n"
          "plot $epochs using 1:4 with linespoints lw 2 lc rgb '#31a354' notitle\n"
          "set title 'learning rate'\n"
          "plot $steps using 1:3 with lines lw 2 lc rgb '#756bb1' notitle\n"
          "set title 'training speed (samples/s)'\nset yrange [0:*]\n"
          "plot $epochs using 1:5 with linespoints lw 2 lc rgb '#636363' notitle\n"
          "unset multiplot\n";
  plot.draw();
}

// A NaN or infinite loss poisons every parameter at the next step: stop there, with exit code 3.
void stop_unless_finite(double loss, int epoch, std::size_t batch, std::size_t batches) {
  if (std::isfinite(loss)) return;
  const std::size_t step = static_cast<std::size_t>(epoch - 1) * batches + batch + 1;
  throw examples::ExitError(3, std::string("the training loss is ") +
                                   (std::isnan(loss) ? "NaN" : loss > 0 ? "inf" : "-inf") + " at step " +
                                   std::to_string(step) + " (epoch " + std::to_string(epoch) + ", batch " +
                                   std::to_string(batch + 1) + " of " + std::to_string(batches) +
                                   "): training diverged; try a lower --lr");
}

int train(const Config& c) {
  tg::set_num_threads(c.threads);
#ifdef TAPEGRAD_HAS_DISTRIBUTED
  tg::distributed::ProcessGroupMPI* group = c.distributed ? &tg::distributed::ProcessGroupMPI::world() : nullptr;
  // Only rank 0 prints, shows progress and writes the outputs.
  const bool lead = !group || group->rank() == 0;
  if (!lead && !std::freopen("/dev/null", "w", stdout)) throw tg::Error("cannot silence stdout on this rank");
  if (group && c.batch_size % static_cast<std::size_t>(group->size()) != 0)
    throw examples::ExitError(2, "--batch-size " + std::to_string(c.batch_size) + " (the total over the ranks) must "
                                 "be a multiple of the " + std::to_string(group->size()) + " ranks");
#else
  const bool lead = true;
#endif
  tg::manual_seed(c.seed);
  const tg::data::MNIST data(c.data_dir);
  // A subset is a copy of the first rows; the full split is used in place.
  std::optional<tg::data::Dataset> subset;
  if (c.train_rows > 0) subset = data.split(tg::data::Split::Train).head(c.train_rows);
  const tg::data::Dataset& train = subset ? *subset : data.split(tg::data::Split::Train);
  const auto& valid = data.split(tg::data::Split::Valid);
  const auto& test = data.split(tg::data::Split::Test);
  const bool flat = mnist::takes_flat_images(c.model);

  auto model = mnist::make_model(c.model);
  if (!c.load.empty()) tg::nn::load(*model, c.load);
  std::cout << model << "\n"
            << model->parameter_count() << " parameters; " << c.dataset << ": " << train.size() << " training, "
            << valid.size() << " validation, " << test.size() << " test images; batch " << c.batch_size
            << ", SGD lr " << c.lr << " momentum " << c.momentum << " (" << c.schedule << " schedule), " << c.threads
            << " thread(s)" << (c.distributed ? " per rank" : "") << "\n";

  tg::optim::SGD optimizer(model->parameters(),
                           tg::optim::SGDOptions(c.lr).momentum(c.momentum).weight_decay(c.weight_decay));
  tg::data::ImageLoaderOptions loader_options;
  loader_options.batch_size = c.batch_size;
  loader_options.flatten = flat;
  tg::data::DataLoader loader(train, loader_options);
#ifdef TAPEGRAD_HAS_DISTRIBUTED
  std::optional<tg::distributed::DistributedDataParallel> ddp;
  std::optional<tg::data::DistributedSampler> sampler;
  if (group) {
    ddp.emplace(model.ptr(), *group);  // checks every rank has the same model, copies rank 0's parameters
    const auto ranks = static_cast<std::size_t>(group->size());
    sampler.emplace(train.size(), ranks, static_cast<std::size_t>(group->rank()), c.batch_size / ranks, c.seed);
    std::printf("%d ranks, %zu images each per step\n", group->size(), c.batch_size / ranks);
  }
  auto evaluate = [&](const tg::data::Dataset& d) {
    return group ? mnist::evaluate_distributed(*model, d, flat, *group) : mnist::evaluate(*model, d, flat);
  };
#else
  auto evaluate = [&](const tg::data::Dataset& d) { return mnist::evaluate(*model, d, flat); };
#endif
  std::optional<tg::optim::CosineAnnealingLR> schedule;
  if (c.schedule == "cosine" && c.epochs > 0)
    schedule.emplace(optimizer, static_cast<std::size_t>(c.epochs) * loader.size());

  std::optional<examples::OutputFile> csv;
  if (lead && !c.metrics_csv.empty()) {
    csv.emplace("--metrics-csv", c.metrics_csv);
    csv->write("epoch,train_loss,valid_loss,valid_accuracy,lr,seconds,samples_per_second\n");
  }
  if (lead && !c.graph.empty()) {
    mnist::write_step_graph(*model, loader, c.graph);
    std::printf("wrote the first step's graph to %s (render: dot -Tsvg %s -o graph.svg)\n", c.graph.c_str(),
                c.graph.c_str());
  }
  Curves curves;
  const std::size_t steps_per_point = std::max<std::size_t>(1, loader.size() / 50);
  double run_loss = 0;
  examples::Progress progress;
  for (int epoch = 1; epoch <= c.epochs; ++epoch) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto on_batch = [&](std::size_t i, double batch_loss) {
      stop_unless_finite(batch_loss, epoch, i, loader.size());
      run_loss += batch_loss;
      if ((i + 1) % steps_per_point == 0 || i + 1 == loader.size()) {
        const std::size_t in_run = i % steps_per_point + 1;
        curves.steps.push_back({epoch - 1 + double(i + 1) / double(loader.size()), run_loss / double(in_run),
                                optimizer.lr()});
        run_loss = 0;
      }
      if (schedule) schedule->step();
      if (lead && (i % 20 == 0 || i + 1 == loader.size()))
        progress.show("epoch %d %s %3zu%% loss %.4f", epoch, examples::Progress::bar(i + 1, loader.size()).c_str(),
                      100 * (i + 1) / loader.size(), batch_loss);
    };
#ifdef TAPEGRAD_HAS_DISTRIBUTED
    if (sampler) sampler->set_epoch(static_cast<std::size_t>(epoch - 1));
    const double loss = sampler ? mnist::train_epoch_distributed(*model, *ddp, *sampler, loader, optimizer, on_batch)
                                : mnist::train_epoch(*model, loader, optimizer, on_batch);
#else
    const double loss = mnist::train_epoch(*model, loader, optimizer, on_batch);
#endif
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const mnist::Evaluation v = evaluate(valid);
    const double acc = v.accuracy;
    const double rate = static_cast<double>(train.size()) / seconds;
    progress.clear();
    std::printf("epoch %d  train loss %.4f  validation loss %.4f  accuracy %.2f%%  %.2f s  %.0f samples/s\n", epoch,
                loss, v.loss, 100 * acc, seconds, rate);
    curves.epochs.push_back({double(epoch), loss, v.loss, 100 * acc, rate});
    std::fflush(stdout);
    if (csv) {
      char row[200];
      std::snprintf(row, sizeof row, "%d,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g\n", epoch, loss, v.loss, acc, optimizer.lr(),
                    seconds, rate);
      csv->write(row);
    }
  }
  if (csv) csv->close();
  if (lead && !c.plot.empty()) {
    char title[160];
    std::snprintf(title, sizeof title, "%s on %s: SGD lr %g, momentum %g, %s schedule, batch %zu", c.model.c_str(),
                  c.dataset.c_str(), c.lr, c.momentum, c.schedule.c_str(), c.batch_size);
    draw_curves(curves, c.plot, title);
    std::printf("drew the learning curves to %s\n", c.plot.c_str());
  }
  if (lead && !c.save.empty()) {
    tg::nn::save(*model, c.save);
    std::printf("saved the parameters to %s\n", c.save.c_str());
  }
  const double valid_accuracy = evaluate(valid).accuracy, test_accuracy = evaluate(test).accuracy;
  std::printf("validation accuracy: %.2f%%\n", 100 * valid_accuracy);
  std::printf("test accuracy: %.2f%%\n", 100 * test_accuracy);
  return 0;
}

// A distributed run: an exception on any rank ends the whole job (MPI_Abort) with its message and
// exit code, so no rank is left waiting in a collective for it.
int run(const Config& c) {
#ifdef TAPEGRAD_HAS_DISTRIBUTED
  if (c.distributed) {
    try {
      return train(c);
    } catch (const examples::ExitError& e) {
      tg::distributed::ProcessGroupMPI::world().abort(std::string("train_mnist: ") + e.what(), e.code);
    } catch (const std::exception& e) {
      tg::distributed::ProcessGroupMPI::world().abort(std::string("train_mnist: ") + e.what());
    }
  }
#endif
  return train(c);
}

}  // namespace

int main(int argc, char** argv) { return examples::run_main<Config>("train_mnist", argc, argv, parse, run); }
