#include <tapegrad/core/random.hpp>

namespace tg {
namespace {
thread_local std::mt19937_64 engine{0};
}

void manual_seed(std::uint64_t seed) { engine.seed(seed); }
std::mt19937_64& generator() { return engine; }

template <class T>
Array<T> randn(const Shape& shape, Element<T> mean, Element<T> std) {
  if (!(std >= T(0))) throw Error("randn: expected std >= 0, got " + std::to_string(std));
  checked_numel(shape, "randn");
  Array<T> t = Array<T>::from_shape(shape);
  std::normal_distribution<T> dist(mean, std);
  for (auto& v : t) v = dist(engine);
  return t;
}

template <class T>
Array<T> rand_uniform(const Shape& shape, Element<T> low, Element<T> high) {
  if (!(low <= high))
    throw Error("rand_uniform: expected low <= high, got " + std::to_string(low) + " > " + std::to_string(high));
  checked_numel(shape, "rand_uniform");
  Array<T> t = Array<T>::from_shape(shape);
  std::uniform_real_distribution<T> dist(low, high);
  for (auto& v : t) v = dist(engine);
  return t;
}

template Array<float> randn(const Shape&, float, float);
template Array<double> randn(const Shape&, double, double);
template Array<float> rand_uniform(const Shape&, float, float);
template Array<double> rand_uniform(const Shape&, double, double);

}  // namespace tg
