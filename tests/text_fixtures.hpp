// Reads the LibTorch agreement fixtures that scripts/make_fixtures.py writes into tests/fixtures/
// (the format is described there), and compares results with them.
//
//   tgtest::TextFixture fx("batch_norm");
//   tg::Array<double> x = fx.array<double>("train2d.x");
//   CHECK_AGREES(y.value(), fx.array<double>("train2d.y"));
//
// A file that does not parse is rejected whole: the constructor throws naming the file and the line.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstdint>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>

#include <doctest/doctest.h>

#include <tapegrad/core/array.hpp>

#ifndef TAPEGRAD_FIXTURE_DIR
#error "TAPEGRAD_FIXTURE_DIR must name tests/fixtures (tests/CMakeLists.txt defines it)"
#endif

namespace tgtest {

class TextFixture {
 public:
  explicit TextFixture(const std::string& group) : path_(std::string(TAPEGRAD_FIXTURE_DIR) + "/" + group + ".txt") {
    std::ifstream in(path_);
    if (!in) throw std::runtime_error(path_ + ": cannot open (run scripts/make_fixtures.py " + group + ")");
    std::string header, values;
    std::size_t line = 1;
    std::getline(in, header);  // the comment line
    while (std::getline(in, header)) {
      ++line;
      if (!std::getline(in, values)) fail(line, "header without a line of values");
      ++line;
      parse(header, values, line);
    }
  }

  template <class T>
  tg::Array<T> array(const std::string& name) const {
    const Entry& e = find(name);
    const char* want = std::is_same_v<T, float> ? "f4" : std::is_same_v<T, double> ? "f8" : "i8";
    if (e.dtype != want) throw std::runtime_error(path_ + ": " + name + " is " + e.dtype + ", asked as " + want);
    tg::Array<T> a = tg::Array<T>::from_shape(e.shape);
    std::istringstream values(e.values);
    for (T& v : a) {
      std::string token;
      values >> token;
      if constexpr (std::is_same_v<T, float>) v = std::strtof(token.c_str(), nullptr);
      else if constexpr (std::is_same_v<T, double>) v = std::strtod(token.c_str(), nullptr);
      else v = std::strtoll(token.c_str(), nullptr, 10);
    }
    return a;
  }
  tg::Labels labels(const std::string& name) const { return array<std::int64_t>(name); }

 private:
  struct Entry {
    std::string dtype;
    tg::Shape shape;
    std::string values;
  };

  [[noreturn]] void fail(std::size_t line, const std::string& what) const {
    throw std::runtime_error(path_ + ":" + std::to_string(line) + ": " + what);
  }

  void parse(const std::string& header, const std::string& values, std::size_t line) {
    std::istringstream h(header);
    std::string name;
    Entry e;
    std::size_t rank = 0;
    if (!(h >> name >> e.dtype >> rank)) fail(line - 1, "expected '<name> <dtype> <rank> <dims>...'");
    if (e.dtype != "f4" && e.dtype != "f8" && e.dtype != "i8") fail(line - 1, "unknown dtype " + e.dtype);
    std::size_t count = 1;
    for (std::size_t d = 0; d < rank; ++d) {
      std::size_t s = 0;
      if (!(h >> s)) fail(line - 1, name + ": fewer dims than its rank");
      e.shape.push_back(s);
      count *= s;
    }
    std::string extra;
    if (h >> extra) fail(line - 1, name + ": more dims than its rank");
    // Every value must parse whole, and there must be exactly `count` of them.
    std::istringstream v(values);
    std::string token;
    std::size_t n = 0;
    for (; v >> token; ++n) {
      char* end = nullptr;
      if (e.dtype == "i8") std::strtoll(token.c_str(), &end, 10);
      else std::strtod(token.c_str(), &end);
      if (*end != '\0') fail(line, name + ": bad value '" + token + "'");
    }
    if (n != count) fail(line, name + ": " + std::to_string(n) + " values for shape " + tg::shape_str(e.shape));
    e.values = values;
    if (!entries_.emplace(name, std::move(e)).second) fail(line - 1, name + " appears twice");
  }

  const Entry& find(const std::string& name) const {
    auto it = entries_.find(name);
    if (it == entries_.end()) throw std::runtime_error(path_ + ": no array " + name);
    return it->second;
  }

  std::string path_;
  std::map<std::string, Entry> entries_;
};

// Whether `actual` agrees with LibTorch's `expected`: same shape, and every element within rtol of
// its expected value, where an element near zero (a difference of nearby values, whose relative error
// is unbounded) is measured against a hundredth of the tensor's largest magnitude:
// |a - e| <= rtol·(|e| + max|e|/100). rtol is 1e-5 in float32 and 1e-10 in float64, as issue 12 asks.
template <class A, class B>
std::string disagreement(const A& actual, const B& expected) {
  using T = typename A::value_type;
  const double rtol = std::is_same_v<T, float> ? 1e-5 : 1e-10;
  if (tg::to_shape(actual.shape()) != tg::to_shape(expected.shape()))
    return "shape " + tg::shape_str(actual.shape()) + " vs LibTorch's " + tg::shape_str(expected.shape());
  double scale = 0;
  for (auto e : expected) scale = std::max(scale, std::abs(double(e)));
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const double a = actual.data()[i], e = expected.data()[i];
    if (!(std::abs(a - e) <= rtol * (std::abs(e) + scale / 100)))
    {
      std::ostringstream why;
      why.precision(12);
      why << "element " << i << ": " << a << " vs LibTorch's " << e << " (rtol " << rtol << ")";
      return why.str();
    }
  }
  return "";
}

#define CHECK_AGREES(actual, expected)                                  \
  do {                                                                  \
    const std::string tg_why_ = ::tgtest::disagreement(actual, expected); \
    CHECK_MESSAGE(tg_why_.empty(), tg_why_);                            \
  } while (0)

}  // namespace tgtest
