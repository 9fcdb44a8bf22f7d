// std::cout << tensor, in LibTorch's format (ATen's Formatting.cpp): every value in one format chosen
// from the magnitudes (integers as integers, a common scale factor, or scientific), a matrix per
// leading index for 3-D and up, and the type and sizes last: "[ CPUFloatType{2,3} ]".
#include <cmath>
#include <iomanip>
#include <ostream>

#include <tapegrad/core/checked_cast.hpp>
#include <tapegrad/core/dispatch.hpp>

namespace tg {
namespace {

constexpr std::int64_t kLineSize = 80;

// Restores the stream's flags, precision and width when the print ends.
struct FormatGuard {
  explicit FormatGuard(std::ostream& out) : out(out), saved(nullptr) { saved.copyfmt(out); }
  ~FormatGuard() { out.copyfmt(saved); }
  std::ostream& out;
  std::ios saved;
};

void indent(std::ostream& out, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) out << ' ';
}

struct Format {
  double scale;
  std::int64_t width;
};

// Picks the number format for values v[0..n) and sets it on `out`, as ATen does: integers print as
// integers (scientific past 9 digits); otherwise fixed with 4 decimals, scaled by a power of ten when
// the largest magnitude is >= 1e5 or < 0.1, or scientific when magnitudes span more than 4 decades.
Format choose_format(std::ostream& out, const double* v, std::int64_t n) {
  if (n == 0) return {1.0, 0};
  bool integers = true;
  for (std::int64_t i = 0; i < n; ++i)
    if (std::isfinite(v[i]) && v[i] != std::ceil(v[i])) {
      integers = false;
      break;
    }
  std::int64_t first = 0;
  while (first < n && !std::isfinite(v[first])) ++first;
  double exp_min = 1, exp_max = 1;
  if (first < n) {
    double lo = std::fabs(v[first]), hi = lo;
    for (std::int64_t i = first; i < n; ++i) {
      if (!std::isfinite(v[i])) continue;
      lo = std::min(lo, std::fabs(v[i]));
      if (v[i] > hi) hi = std::fabs(v[i]);  // ATen compares the signed value here; so do we
    }
    exp_min = lo != 0 ? std::floor(std::log10(lo)) + 1 : 1;
    exp_max = hi != 0 ? std::floor(std::log10(hi)) + 1 : 1;
  }
  out.unsetf(std::ios_base::floatfield);
  if (integers) {
    if (exp_max > 9) {
      out << std::scientific << std::setprecision(4);
      return {1.0, 11};
    }
    return {1.0, static_cast<std::int64_t>(exp_max) + 1};
  }
  if (exp_max - exp_min > 4) {
    out << std::scientific << std::setprecision(4);
    return {1.0, std::fabs(exp_max) > 99 || std::fabs(exp_min) > 99 ? 12 : 11};
  }
  out << std::fixed << std::setprecision(4);
  if (exp_max > 5 || exp_max < 0) return {std::pow(10, exp_max - 1), 7};
  return {1.0, exp_max == 0 ? 7 : static_cast<std::int64_t>(exp_max) + 6};
}

void print_scale(std::ostream& out, double scale) {
  FormatGuard guard(out);
  out.unsetf(std::ios_base::floatfield);
  out << scale << " *\n";
}

// A (rows, cols) matrix at v, in blocks of as many columns as fit the line.
void print_matrix(std::ostream& out, const double* v, std::int64_t rows, std::int64_t cols, std::int64_t ind) {
  const Format f = choose_format(out, v, rows * cols);
  indent(out, ind);
  const std::int64_t per_line = (kLineSize - ind) / (f.width + 1);
  for (std::int64_t first = 0; first < cols;) {
    const std::int64_t last = std::min(first + per_line, cols) - 1;
    if (per_line < cols) {
      if (first != 0) out << '\n';
      out << "Columns " << first + 1 << " to " << last + 1;  // no newline after it: ATen's layout
      indent(out, ind);
    }
    if (f.scale != 1) {
      print_scale(out, f.scale);
      indent(out, ind);
    }
    for (std::int64_t r = 0; r < rows; ++r)
      for (std::int64_t c = first; c <= last; ++c) {
        out << std::setw(static_cast<int>(f.width)) << v[r * cols + c] / f.scale;
        if (c != last) {
          out << ' ';
        } else {
          out << '\n';
          if (r != rows - 1) indent(out, f.scale != 1 ? ind + 1 : ind);
        }
      }
    first = last + 1;
  }
}

// Rank 3 and up: one "(i,j,.,.) = " matrix per index of the leading dims. ATen steps the FIRST
// leading dim fastest, so (2,1,.,.) comes before (1,2,.,.); so do we.
void print_slices(std::ostream& out, const double* v, const Shape& shape) {
  const std::size_t lead = shape.size() - 2;
  const std::int64_t rows = shape[lead], cols = shape[lead + 1];
  std::vector<std::size_t> counter(lead, 0);
  for (bool first = true;; first = false) {
    if (!first) {
      std::size_t d = 0;
      while (d < lead && ++counter[d] == shape[d]) counter[d++] = 0;
      if (d == lead) return;
      out << '\n';
    }
    std::size_t offset = 0;
    out << '(';
    for (std::size_t d = 0; d < lead; ++d) {
      offset = offset * shape[d] + counter[d];
      out << counter[d] + 1 << ',';
    }
    out << ".,.) = \n";
    print_matrix(out, v + offset * rows * cols, rows, cols, 1);
  }
}

}  // namespace

std::string type_string(ScalarType type) { return std::string("CPU") + to_string(type) + "Type"; }

std::ostream& operator<<(std::ostream& out, const Tensor& t) {
  FormatGuard guard(out);
  if (!t.defined()) return out << "[ Tensor (undefined) ]";
  const Shape shape = t.shape();
  const Array<double> v = visit_values(t, [](const auto& a) { return detail::cast_array<double>(a, "print"); });
  const auto n = static_cast<std::int64_t>(v.size());
  if (shape.empty()) {
    out.unsetf(std::ios_base::floatfield);
    out << v.data()[0] << '\n';
  } else if (shape.size() == 1) {
    const Format f = choose_format(out, v.data(), n);
    if (f.scale != 1) print_scale(out, f.scale);
    for (std::int64_t i = 0; i < n; ++i) out << std::setw(static_cast<int>(f.width)) << v.data()[i] / f.scale << '\n';
  } else if (n > 0) {
    if (shape.size() == 2) print_matrix(out, v.data(), shape[0], shape[1], 0);
    else print_slices(out, v.data(), shape);
  }
  out << "[ " << type_string(t.scalar_type()) << '{';
  for (std::size_t d = 0; d < shape.size(); ++d) out << (d ? "," : "") << shape[d];
  return out << "} ]";
}

}  // namespace tg
