// The walkthrough's initialisation statistics (docs/walkthrough.md, steps 2-3 and 4b), recomputed
// on MNIST: mean and std of the inputs, of one layer's output under each weight scaling, of 100
// chained products, and of a Conv2d's output under each init. Every figure is computed in this run;
// where the walkthrough states one, it is printed beside ours, labelled "walkthrough".
//   build/examples/init_stats --csv init_stats_layers.csv
#include <boost/program_options.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <tapegrad/tapegrad.hpp>

#include "cli.hpp"
#include "gnuplot.hpp"

namespace po = boost::program_options;
using V = tg::Variable<float>;
using Array = tg::Array<float>;

namespace {

struct Config {
  std::string csv, plot, histogram, data_dir;
  std::size_t layers;
  std::uint64_t seed;
};

std::optional<Config> parse(int argc, char** argv) {
  Config c;
  po::options_description opts(
      "init_stats: the walkthrough's initialisation statistics (normalisation, weight scaling, 100 chained "
      "products, Conv2d inits) recomputed on MNIST\n\nOptions");
  opts.add_options()
    ("help,h", "print this help and exit")
    ("csv", po::value(&c.csv)->default_value("init_stats_layers.csv"),
     "where to write the std per layer of the chained products")
    ("plot", po::value(&c.plot), "draw them (log-scale y) to this PNG (needs gnuplot)")
    ("histogram", po::value(&c.histogram),
     "draw the activations of a 10-layer ReLU network, with and without Kaiming init, to this PNG (needs gnuplot)")
    ("layers", po::value(&c.layers)->default_value(100), "chained products x = x @ a")
    ("seed", po::value(&c.seed)->default_value(1), "seed of every random draw")
    ("data-dir", po::value(&c.data_dir), "folder holding the MNIST IDX files (default: $TAPEGRAD_DATA_DIR/mnist)");
  if (!examples::parse_options(opts, argc, argv)) return std::nullopt;
  if (c.layers == 0) throw po::error("--layers must be >= 1");
  examples::check_output("--csv", c.csv);
  examples::check_output("--plot", c.plot);
  if (c.data_dir.empty()) c.data_dir = tg::data::mnist_dir();
  return c;
}

// Mean and standard deviation as torch's t.mean(), t.std(): the std is the sample one (n - 1).
// Accumulated in double; not finite when any element is not.
struct Stats {
  double mean, std;
};

template <class Get>
Stats stats_of(std::size_t n, Get&& at) {
  double sum = 0;
  for (std::size_t k = 0; k < n; ++k) sum += at(k);
  const double mean = sum / double(n);
  double squares = 0;
  for (std::size_t k = 0; k < n; ++k) squares += (at(k) - mean) * (at(k) - mean);
  return {mean, std::sqrt(squares / double(n > 1 ? n - 1 : 1))};
}

Stats stats(const Array& t) {
  const float* p = t.data();
  return stats_of(t.size(), [p](std::size_t k) { return double(p[k]); });
}

Stats stats(const V& v) { return stats(v.value()); }

// A table cell: 4 decimals, or 4 significant digits for huge values, "nan"/"inf" when not finite.
std::string cell(double v) {
  char buf[32];
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  std::snprintf(buf, sizeof buf, std::abs(v) < 1e5 ? "%.4f" : "%.4g", v);
  return buf;
}

// One table row: what, our mean and std, and the walkthrough's figure when it states one.
void row(const std::string& what, Stats s, const std::string& walkthrough = "") {
  std::printf("  %-58s %10s %10s   %s\n", what.c_str(), cell(s.mean).c_str(), cell(s.std).c_str(), walkthrough.c_str());
}

void header(const std::string& title) {
  std::printf("\n%s\n  %-58s %10s %10s   %s\n", title.c_str(), "", "mean", "std", "walkthrough");
}

// The first `rows` images of a split in dataset order, normalised with the training mean/std.
V first_images(const tg::data::Dataset& split, std::size_t rows, bool flatten) {
  tg::data::ImageLoaderOptions options;
  options.batch_size = rows;
  options.shuffle = false;
  options.flatten = flatten;
  return tg::data::DataLoader(split, options).batch(0).data.variable<float>();
}

// ---- 1. the inputs ----

void inputs(const tg::data::Dataset& train, const tg::data::Dataset& valid) {
  header("1. Inputs: MNIST pixels, normalised as (x - train_mean) / train_std");
  const std::uint8_t* tp = train.images.data();
  const std::uint8_t* vp = valid.images.data();
  const double m = train.mean, s = train.std;
  row("training pixels, raw (0..255)", stats_of(train.images.size(), [tp](std::size_t k) { return double(tp[k]); }));
  row("training pixels / 255 (the walkthrough's scale)",
      stats_of(train.images.size(), [tp](std::size_t k) { return tp[k] / 255.0; }));
  row("training, normalised", stats_of(train.images.size(), [&](std::size_t k) { return (tp[k] - m) / s; }),
      "mean ~ 0, std ~ 1");
  row("validation, normalised with the TRAINING mean/std",
      stats_of(valid.images.size(), [&](std::size_t k) { return (vp[k] - m) / s; }), "mean ~ 0, std ~ 1");
  std::printf("  (training mean %.4f, std %.4f in raw pixel units: tg::data::Dataset::mean/std)\n", m, s);
}

// ---- 2. one linear layer under each weight scaling ----

void one_layer(const V& x_valid) {
  const std::size_t m = x_valid.shape()[1], nh = 50;
  header("2. One layer on the validation images: t = x_valid @ w1 + b1, w1 (" + std::to_string(m) + ", " +
         std::to_string(nh) + "), b1 = 0; one randn draw, scaled");
  const Array w = tg::randn<float>({m, nh});
  const V b1(Array(xt::zeros<float>({nh})));
  auto lin = [&](double scale) { return tg::matmul(x_valid, V(Array(w * float(scale)))) + b1; };
  const double fan_in = double(m);
  row("lin, w1 = randn", stats(lin(1.0)), "std far from 1");
  row("lin, w1 = randn / sqrt(m)", stats(lin(1 / std::sqrt(fan_in))), "std ~ 1");
  row("relu(lin), w1 = randn / sqrt(m)", stats(tg::relu(lin(1 / std::sqrt(fan_in)))),
      "(0.1276, 0.5803), the figure its Kaiming step beats");
  row("relu(lin), w1 = randn * sqrt(2 / m)  (Kaiming)", stats(tg::relu(lin(std::sqrt(2 / fan_in)))));
  row("relu(lin) - 0.5, w1 = randn * sqrt(2 / m)  (fastai's shift)",
      stats(tg::relu(lin(std::sqrt(2 / fan_in))) - 0.5f), "\"so much better\"");
}

// ---- 3. 100 chained products x = x @ a ----

struct Chain {
  const char* name;
  double scale;
  std::vector<double> std_per_layer;
  std::size_t first_non_finite = 0;  // 1-based layer; 0 when the std stayed finite throughout
};

std::vector<Chain> chained_products(std::size_t layers) {
  const std::size_t n = 512;
  header("3. " + std::to_string(layers) + " chained products x = x @ a, x = randn(512), a = randn(512, 512) * scale");
  const Array x0 = tg::randn<float>({1, n});
  const Array a = tg::randn<float>({n, n});
  std::vector<Chain> chains{{"a = randn", 1.0, {}, 0},
                            {"a = randn / sqrt(512)", 1 / std::sqrt(double(n)), {}, 0},
                            {"a = randn * sqrt(2 / 512) (Kaiming; no ReLU)", std::sqrt(2.0 / n), {}, 0}};
  for (Chain& c : chains) {
    V x(x0);
    const V scaled(Array(a * float(c.scale)));
    for (std::size_t layer = 1; layer <= layers; ++layer) {
      x = tg::matmul(x, scaled);
      const Stats s = stats(x);
      c.std_per_layer.push_back(s.std);
      if (!std::isfinite(s.std) && c.first_non_finite == 0) c.first_non_finite = layer;
    }
    const Stats last = stats(x);
    row(std::string(c.name) + ", layer " + std::to_string(layers), last,
        c.scale == 1.0 ? "mean = nan, std = nan" : "");
  }
  for (const Chain& c : chains) {
    if (c.first_non_finite)
      std::printf("  %-45s std first not finite after product %zu (loop index i = %zu)%s\n", c.name,
                  c.first_non_finite, c.first_non_finite - 1,
                  c.scale == 1.0 ? "   walkthrough: breaks at i = 28" : "");
    else
      std::printf("  %-45s std finite through all %zu products\n", c.name, layers);
  }
  return chains;
}

// The std per layer as CSV, and a log-scale plot of it when gnuplot is installed.
void write_layers(const std::vector<Chain>& chains, const Config& c) {
  std::ostringstream csv;
  csv << "layer,std_randn,std_randn_over_sqrt512,std_kaiming\n";
  for (std::size_t layer = 0; layer < chains[0].std_per_layer.size(); ++layer) {
    csv << layer + 1;
    for (const Chain& chain : chains) {
      const double v = chain.std_per_layer[layer];
      csv << ",";
      if (std::isfinite(v)) csv << v; else csv << "nan";  // gnuplot skips it
    }
    csv << "\n";
  }
  examples::OutputFile file("--csv", c.csv);
  file.write(csv.str());
  file.close();
  std::printf("  std per layer written to %s\n", c.csv.c_str());

  if (c.plot.empty()) return;
  examples::Gnuplot plot(c.plot, 900, 600);
  std::vector<std::vector<double>> rows;
  for (std::size_t layer = 0; layer < chains[0].std_per_layer.size(); ++layer)
    rows.push_back({double(layer + 1), chains[0].std_per_layer[layer], chains[1].std_per_layer[layer],
                    chains[2].std_per_layer[layer]});
  plot.data("std", rows);
  plot << "set logscale y\nset xlabel 'layer'\nset ylabel 'std of x'\nset key top left\n"
          "set title 'x = x @ a, 512 wide: std per layer (missing points are not finite)'\n"
          "plot $std using 1:2 with lines lw 2 title 'a = randn', "
          "'' using 1:3 with lines lw 2 title 'a = randn / sqrt(512)', "
          "'' using 1:4 with lines lw 2 title 'a = randn * sqrt(2/512)'\n";
  plot.draw();
  std::printf("  plot drawn to %s\n", c.plot.c_str());
}

// ---- 3b. activations deep in a ReLU network, with and without Kaiming ----

// Ten Linear(50, 50)-ReLU layers after a first Linear(784, 50)-ReLU, on the validation images: the
// activations of the last layer under w = randn / sqrt(fan_in) shrink layer after layer (each ReLU
// halves the variance), while Kaiming's sqrt(2 / fan_in) keeps them at the input's scale.
void deep_activations(const V& x, const Config& c) {
  const std::size_t depth = 10, width = 50;
  struct Run {
    const char* name;
    double gain;
    std::vector<float> last;
  };
  std::vector<Run> runs{{"w = randn / sqrt(fan_in)", 1.0, {}}, {"w = randn * sqrt(2 / fan_in) (Kaiming)", std::sqrt(2.0), {}}};
  header("3b. The activations after " + std::to_string(depth + 1) + " Linear-ReLU layers (784 -> 50, then 50 -> 50)");
  for (Run& r : runs) {
    V h = x;
    for (std::size_t layer = 0; layer <= depth; ++layer) {
      const std::size_t fan_in = h.shape()[1];
      const V w(Array(tg::randn<float>({fan_in, width}) * float(r.gain / std::sqrt(double(fan_in)))));
      h = tg::relu(tg::matmul(h, w));
    }
    row(std::string("layer ") + std::to_string(depth + 1) + ", " + r.name, stats(h));
    r.last.assign(h.value().begin(), h.value().end());
  }
  if (c.histogram.empty()) return;
  // Shared log-spaced bins over both runs (their scales differ by orders of magnitude); the zeros,
  // half of every ReLU's output, are left out so the shape shows.
  float top = 0;
  for (const Run& r : runs)
    for (float v : r.last) top = std::max(top, v);
  const std::size_t bins = 80;
  const double lo = std::log10(double(top)) - 6, step = 6.0 / bins;
  std::vector<std::vector<double>> rows(bins, std::vector<double>(runs.size() + 1, 0.0));
  for (std::size_t b = 0; b < bins; ++b) rows[b][0] = std::pow(10.0, lo + (b + 0.5) * step);
  for (std::size_t k = 0; k < runs.size(); ++k) {
    for (float v : runs[k].last)
      if (v > 0) {
        const double b = (std::log10(double(v)) - lo) / step;
        rows[std::size_t(std::clamp(b, 0.0, double(bins - 1)))][k + 1] += 1;
      }
    for (auto& r : rows) r[k + 1] /= double(runs[k].last.size());
  }
  examples::Gnuplot plot(c.histogram, 900, 600);
  plot.data("hist", rows);
  plot << "set xlabel 'activation (log scale; zeros left out)'\nset ylabel 'fraction of activations per bin'\n"
          "set key top left\nset logscale x\nset format x '%g'\n"
          "set title 'Activations after 11 Linear-ReLU layers on MNIST validation images'\n"
          "plot $hist using 1:2 with fillsteps fs transparent solid 0.5 title '"
       << runs[0].name << "', '' using 1:3 with fillsteps fs transparent solid 0.5 title '" << runs[1].name << "'\n";
  plot.draw();
  std::printf("  histogram drawn to %s\n", c.histogram.c_str());
}

// ---- 4. Conv2d(1, 32, 5) under each init ----

// The walkthrough's gain: sqrt(2 / (1 + a²)), the std a leaky ReLU of slope a needs restored.
double gain(double a) { return std::sqrt(2.0 / (1 + a * a)); }

// The walkthrough's hand-written kaiming2: weight ~ U(-bound, bound), bound = sqrt(3)·gain(a)/sqrt(fan),
// fan from the receptive field (a weight (nf, ni, kh, kw) has fan_in = ni·kh·kw, fan_out = nf·kh·kw).
void kaiming2(V& weight, double a, bool use_fan_out = false) {
  const tg::Shape& s = weight.shape();
  const std::size_t nf = s[0], ni = s[1], receptive_field = s[2] * s[3];
  const double fan = double(use_fan_out ? nf * receptive_field : ni * receptive_field);
  const double std = gain(a) / std::sqrt(fan);
  const double bound = std::sqrt(3.0) * std;
  weight.value() = tg::rand_uniform<float>(s, float(-bound), float(bound));
}

void conv_inits(const V& x) {
  namespace init = tg::nn::init;
  tg::nn::Conv2dImpl l1(1, 32, 5);
  V& w1 = l1.weight.variable<float>();  // the layer's own weight, written in place by the inits
  const tg::Shape& ws = w1.shape();
  const std::size_t nf = ws[0], ni = ws[1], receptive_field = ws[2] * ws[3];
  const auto [fan_in, fan_out] = init::calculate_fan_in_and_fan_out(ws);
  auto f1 = [&](double a) { return tg::leaky_relu(l1.forward(x).variable<float>(), float(a)); };

  std::printf("\n4. Conv2d(1, 32, 5) on the first 100 validation images, x %s -> %s\n",
              tg::shape_str(x.shape()).c_str(), tg::shape_str(l1.forward(x).variable<float>().shape()).c_str());
  std::printf("  weight %s: receptive field = weight[0, 0].numel() = %zu, fan_in = ni * rf = %zu, "
              "fan_out = nf * rf = %zu   walkthrough: 25, 25, 800\n",
              tg::shape_str(ws).c_str(), receptive_field, ni * receptive_field, nf * receptive_field);
  std::printf("  library calculate_fan_in_and_fan_out: (%zu, %zu)\n", fan_in, fan_out);
  for (double a : {0.0, 1.0, std::sqrt(5.0)})
    std::printf("  gain(%.4f) = sqrt(2 / (1 + a^2)) = %.4f; library calculate_gain(LeakyReLU, a) = %.4f\n", a, gain(a),
                init::calculate_gain(tg::kLeakyReLU, a));

  header("  output statistics (the bias keeps its default init throughout, as in the walkthrough)");
  row("conv(x), default init U(+-1/sqrt(fan_in))", stats(l1.forward(x).variable<float>()), "mean ~ 0, std ~ 0.6");
  row("leaky_relu(conv(x), 0), default init", stats(f1(0)));
  init::kaiming_normal_(w1, 1.0);
  row("conv(x), kaiming_normal_(a=1)", stats(l1.forward(x).variable<float>()), "mean ~ 0, std ~ 1");
  init::kaiming_normal_(w1, 0.0);
  row("leaky_relu(conv(x), 0), kaiming_normal_(a=0)", stats(f1(0)), "std ~ 1, mean not ~ 0");

  kaiming2(w1, 0.0);
  const Stats hand_weight = stats(w1), hand_out = stats(f1(0));
  init::kaiming_uniform_(w1, 0.0);
  const Stats lib_weight = stats(w1), lib_out = stats(f1(0));
  const double bound = std::sqrt(3.0) * gain(0) / std::sqrt(double(fan_in));
  std::printf("\n  Kaiming uniform, a = 0: bound = sqrt(3) * gain / sqrt(fan_in) = %.4f, so the weight std should be "
              "bound / sqrt(3) = %.4f\n",
              bound, bound / std::sqrt(3.0));
  row("weight, hand-written kaiming2(a=0)", hand_weight);
  row("weight, library kaiming_uniform_(a=0)", lib_weight);
  row("leaky_relu(conv(x), 0), hand-written kaiming2(a=0)", hand_out);
  row("leaky_relu(conv(x), 0), library kaiming_uniform_(a=0)", lib_out);
}

int run(const Config& c) {
  tg::set_num_threads(1);
  tg::manual_seed(c.seed);
  tg::NoGradGuard no_tape;  // statistics only: nothing to differentiate
  const tg::data::MNIST mnist(c.data_dir);
  const tg::data::Dataset& train = mnist.split(tg::data::Split::Train);
  const tg::data::Dataset& valid = mnist.split(tg::data::Split::Valid);
  std::printf("init_stats: MNIST, %zu training and %zu validation images; std is the sample std (n - 1), as torch's "
              "t.std(); seed %llu\n",
              train.size(), valid.size(), static_cast<unsigned long long>(c.seed));

  inputs(train, valid);
  one_layer(first_images(valid, valid.size(), /*flatten=*/true));
  write_layers(chained_products(c.layers), c);
  deep_activations(first_images(valid, valid.size(), /*flatten=*/true), c);
  conv_inits(first_images(valid, 100, /*flatten=*/false));
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return examples::run_main<Config>("init_stats", argc, argv, parse, run); }
