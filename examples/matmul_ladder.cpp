// The walkthrough's step 1: one matmul written five ways, from a triple loop to BLAS, timed on its
// exact problem (the first 5 normalised validation rows of MNIST, 5x784, times a random 784x10
// weight), then on all 10000 validation rows to show how each way scales. Every result is checked
// against BLAS (tg::matmul). The walkthrough's Python timings are printed beside ours.
//   build/examples/matmul_ladder --repeat 20
#include <boost/program_options.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <xtensor-blas/xlinalg.hpp>
#include <xtensor/xmath.hpp>
#include <xtensor/xnoalias.hpp>
#include <xtensor/xview.hpp>

#include <tapegrad/tapegrad.hpp>

#include "cli.hpp"
#include "gnuplot.hpp"
#include "progress.hpp"

namespace po = boost::program_options;
using tg::Array;
using tg::Variable;

namespace {

struct Config {
  std::size_t rows, large_rows, subset_rows;
  int repeat, threads;
  std::uint64_t seed;
  std::string plot;
};

std::optional<Config> parse(int argc, char** argv) {
  Config c;
  po::options_description opts(
      "matmul_ladder: the walkthrough's five ways to multiply MNIST rows by a 784x10 weight, timed\n\nOptions");
  opts.add_options()
    ("help,h", "print this help and exit")
    ("rows", po::value(&c.rows)->default_value(5), "validation rows of the walkthrough's problem (it used 5)")
    ("large-rows", po::value(&c.large_rows)->default_value(10000), "validation rows of the large case")
    ("subset-rows", po::value(&c.subset_rows)->default_value(0),
     "in the large case, time the row loops (rungs 1-3) on only this many rows and scale the time up by the "
     "row ratio, an estimate (0: time them on all rows)")
    ("repeat", po::value(&c.repeat)->default_value(10), "timed calls per rung (the median is printed), after a warm-up")
    ("threads", po::value(&c.threads)->default_value(1), "threads (tg::set_num_threads)")
    ("seed", po::value(&c.seed)->default_value(1), "seed of the random weight")
    ("plot", po::value(&c.plot), "draw the times per rung as a bar chart to this PNG (needs gnuplot)");
  if (!examples::parse_options(opts, argc, argv)) return std::nullopt;
  if (c.rows == 0 || c.large_rows == 0) throw po::error("--rows and --large-rows must be >= 1");
  if (c.repeat < 1) throw po::error("--repeat must be >= 1");
  if (c.threads < 1) throw po::error("--threads must be >= 1");
  return c;
}

// The operands of one problem: a (rows, 784) and b (784, 10). Shared pointers, so the tapegrad rungs
// wrap them as Variables without copying inside the timed region.
struct Operands {
  std::shared_ptr<Array<float>> a, b;
};

// ---- the five rungs ----

// 1. The triple loop over elements, as the walkthrough's plain Python: c[i,j] += a[i,k] * b[k,j].
Variable<float> loops(const Operands& in) {
  const Array<float>& a = *in.a;
  const Array<float>& b = *in.b;
  const std::size_t n = a.shape(0), m = a.shape(1), p = b.shape(1);
  Array<float> c = xt::zeros<float>({n, p});
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < p; ++j)
      for (std::size_t k = 0; k < m; ++k) c(i, j) += a(i, k) * b(k, j);
  return Variable<float>(std::move(c));
}

// 2. The inner loop as one expression: c[i,j] = (a[i,:] * b[:,j]).sum().
Variable<float> row_times_column(const Operands& in) {
  const Array<float>& a = *in.a;
  const Array<float>& b = *in.b;
  const std::size_t n = a.shape(0), p = b.shape(1);
  Array<float> c = Array<float>::from_shape({n, p});
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < p; ++j) c(i, j) = xt::sum(xt::row(a, i) * xt::col(b, j))();
  return Variable<float>(std::move(c));
}

// 3. Broadcasting: c[i] = (a[i].unsqueeze(-1) * b).sum(dim=0), row i as a 784x1 column against all of b.
Variable<float> broadcast_row(const Operands& in) {
  const Array<float>& a = *in.a;
  const Array<float>& b = *in.b;
  const std::size_t n = a.shape(0), p = b.shape(1);
  Array<float> c = Array<float>::from_shape({n, p});
  for (std::size_t i = 0; i < n; ++i)
    xt::noalias(xt::row(c, i)) = xt::sum(xt::view(a, i, xt::all(), xt::newaxis()) * b, {0});
  return Variable<float>(std::move(c));
}

// 4. Einstein summation: tg::einsum lowers "ik,kj->ij" onto one matmul.
Variable<float> einsum(const Operands& in) {
  return tg::einsum<float>("ik,kj->ij", {Variable<float>(in.a), Variable<float>(in.b)});
}

// 5. BLAS, through tapegrad's matmul and through xtensor-blas.
Variable<float> matmul(const Operands& in) { return tg::matmul(Variable<float>(in.a), Variable<float>(in.b)); }
Variable<float> linalg_dot(const Operands& in) { return Variable<float>(xt::linalg::dot(*in.a, *in.b)); }

struct Rung {
  const char* id;
  const char* how;
  const char* python;  // the walkthrough's own timing of this rung, on 5 rows
  std::function<Variable<float>(const Operands&)> run;
  // A loop over rows, so its time grows about linearly with them: with --subset-rows, timed on fewer
  // rows and scaled up. An estimate (it misses any cache effect of the larger input); on 10000 rows
  // here, 100 rows scaled x100 agreed with the full timing within the machine's noise.
  bool row_loop;
};

const std::vector<Rung>& rungs() {
  static const std::vector<Rung> all{
      {"1", "triple loop, c(i,j) += a(i,k) * b(k,j)", "847 ms", loops, true},
      {"2", "row . column: sum(row(a,i) * col(b,j))", "1.31 ms", row_times_column, true},
      {"3", "broadcast: sum(a[i] as 784x1 * b, dim 0)", "265 us", broadcast_row, true},
      {"4", "tg::einsum(\"ik,kj->ij\")", "39.5 us", einsum, false},
      {"5a", "tg::matmul (OpenBLAS sgemm)", "15.5 us (m1.matmul(m2))", matmul, false},
      {"5b", "xt::linalg::dot (xtensor-blas)", "10.9 us (m1@m2)", linalg_dot, false},
  };
  return all;
}

// The median seconds per call of `f` over `repeat` calls, after one untimed warm-up call.
double median_seconds(const std::function<Variable<float>(const Operands&)>& f, const Operands& in, int repeat) {
  f(in);
  std::vector<double> times;
  for (int r = 0; r < repeat; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    const Variable<float> out = f(in);
    times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  std::nth_element(times.begin(), times.begin() + times.size() / 2, times.end());
  return times[times.size() / 2];
}

// Largest |x - reference| over x's rows (x may hold only the first rows of the reference).
double max_abs_diff(const Array<float>& x, const Array<float>& reference) {
  const auto ref_rows = xt::view(reference, xt::range(0, x.shape(0)), xt::all());
  return static_cast<double>(xt::amax(xt::abs(x - ref_rows))());
}

std::string format_time(double seconds) {
  char buf[32];
  if (seconds >= 1) std::snprintf(buf, sizeof buf, "%.3g s", seconds);
  else if (seconds >= 1e-3) std::snprintf(buf, sizeof buf, "%.3g ms", seconds * 1e3);
  else std::snprintf(buf, sizeof buf, "%.3g us", seconds * 1e6);
  return buf;
}

// "0.89x", "29x": two significant digits below 10, whole numbers above.
std::string format_ratio(double ratio) {
  char buf[32];
  std::snprintf(buf, sizeof buf, ratio < 10 ? "%.2gx" : "%.0fx", ratio);
  return buf;
}

// The first `rows` validation rows, normalised with the training mean and std: the walkthrough's x_valid[:rows].
std::shared_ptr<Array<float>> valid_rows(const tg::data::Dataset& valid, std::size_t rows) {
  tg::data::ImageLoaderOptions options;
  options.batch_size = rows;
  options.shuffle = false;
  options.flatten = true;
  const tg::data::DataLoader loader(valid, options);
  return loader.batch(0).data.variable<float>().value_ptr();
}

// Both cases' times per rung as grouped bars, log-scale: the ladder at a glance.
void plot_rungs(const std::string& png, std::size_t rows, const std::vector<double>& small_time,
                std::size_t large_rows, const std::vector<double>& large_time) {
  std::vector<std::vector<double>> data;
  for (std::size_t i = 0; i < rungs().size(); ++i) data.push_back({double(i), small_time[i] * 1e6, large_time[i] * 1e6});
  examples::Gnuplot plot(png, 900, 600);
  plot.data("times", data);
  plot << "set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.8 border -1\n"
          "set logscale y\nset yrange [1:*]\nset ylabel 'time per call (us, log scale)'\nset key top right\nset xtics (";
  for (std::size_t i = 0; i < rungs().size(); ++i)
    plot << (i ? ", " : "") << "'" << rungs()[i].id << "' " << i;
  plot << ")\nset xlabel 'rung: 1 triple loop, 2 row . column, 3 broadcast, 4 einsum, 5a tg::matmul, 5b xt::linalg::dot'\n"
       << "set title 'Matmul five ways: (rows x 784) @ (784 x 10), float32, 1 thread'\n"
       << "plot $times using 2 title '" << rows << " rows', '' using 3 title '" << large_rows << " rows'\n";
  plot.draw();
  std::printf("bar chart drawn to %s\n", png.c_str());
}

int run(const Config& c) {
  tg::set_num_threads(c.threads);
  tg::manual_seed(c.seed);
  const tg::data::MNIST mnist(tg::data::mnist_dir());
  const tg::data::Dataset& valid = mnist.split(tg::data::Split::Valid);
  const std::size_t large_rows = std::min(c.large_rows, valid.size());
  const std::size_t rows = std::min(c.rows, valid.size());
  const auto weight = std::make_shared<Array<float>>(tg::randn<float>({valid.pixels(), 10}));

  std::printf("Step 1 of the walkthrough: (%zu x %zu validation rows, normalised) @ (%zu x 10 randn weight, "
              "seed %llu)\n",
              rows, valid.pixels(), valid.pixels(), static_cast<unsigned long long>(c.seed));
  std::printf("median time per call over %d calls after a warm-up; threads: %d; float32\n\n", c.repeat,
              c.threads);

  // The walkthrough's problem.
  const Operands small{valid_rows(valid, rows), weight};
  const Array<float> reference = matmul(small).value();
  std::vector<double> small_time;
  std::printf("%-4s %-44s %12s %10s  %-24s %s\n", "rung", "how", "ours", "speed-up", "walkthrough (Python)",
              "max |diff| vs BLAS");
  for (const Rung& r : rungs()) {
    small_time.push_back(median_seconds(r.run, small, c.repeat));
    const double diff = max_abs_diff(r.run(small).value(), reference);
    std::printf("%-4s %-44s %12s %10s  %-24s %.3g\n", r.id, r.how, format_time(small_time.back()).c_str(),
                format_ratio(small_time.front() / small_time.back()).c_str(), r.python, diff);
  }
  std::printf("(the walkthrough's figures: Python 3 / PyTorch in a notebook, %%timeit -n 10 on its own machine.\n"
              " Compiled, rungs 1-3 are all plain loops; its big step from rung 1 to 2 was the Python "
              "interpreter.)\n\n");

  // The large case: how each rung scales with the rows.
  const Operands large{valid_rows(valid, large_rows), weight};
  const std::size_t subset = c.subset_rows == 0 ? large_rows : std::min(c.subset_rows, large_rows);
  const Operands part{valid_rows(valid, subset), weight};
  const Array<float> large_reference = matmul(large).value();
  std::printf("The same on %zu validation rows (%zu x the rows)\n", large_rows, large_rows / rows);
  const std::string vs_small = "x the " + std::to_string(rows) + "-row time";
  std::printf("%-4s %-44s %12s %10s %16s  %s\n", "rung", "how", "ours", "speed-up", vs_small.c_str(),
              "max |diff| vs BLAS");
  std::vector<double> large_time;
  examples::Progress progress;
  for (std::size_t i = 0; i < rungs().size(); ++i) {
    const Rung& r = rungs()[i];
    progress.show("timing rung %s on %zu rows ...", r.id, r.row_loop && subset < large_rows ? subset : large_rows);
    const bool scaled = r.row_loop && subset < large_rows;
    const Operands& in = scaled ? part : large;
    const double t = median_seconds(r.run, in, c.repeat);
    large_time.push_back(scaled ? t * static_cast<double>(large_rows) / static_cast<double>(subset) : t);
    const double diff = max_abs_diff(r.run(in).value(), large_reference);
    progress.clear();
    std::printf("%-4s %-44s %12s %10s %16s  %.3g", r.id, r.how, format_time(large_time.back()).c_str(),
                format_ratio(large_time.front() / large_time.back()).c_str(),
                format_ratio(large_time.back() / small_time[i]).c_str(), diff);
    if (scaled) std::printf("  (timed on %zu rows, scaled x%.0f)", subset, static_cast<double>(large_rows) / subset);
    std::printf("\n");
  }
  if (!c.plot.empty()) plot_rungs(c.plot, rows, small_time, large_rows, large_time);
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return examples::run_main<Config>("matmul_ladder", argc, argv, parse, run); }
