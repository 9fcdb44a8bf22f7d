#include <tapegrad/modules/init.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include <tapegrad/core/dispatch.hpp>
#include <tapegrad/core/random.hpp>

namespace tg::nn::init {
namespace {

template <class T>
void check_defined(const Variable<T>& v, const char* op) {
  if (!v.defined()) throw Error(std::string(op) + ": expected a defined variable, got an undefined one");
}

// Overwrites every element with a draw from `dist` on this thread's engine, in storage order.
template <class T, class Dist>
Variable<T> fill(Variable<T>& v, Dist dist) {
  for (T& x : v.value()) x = dist(generator());
  return v;
}

template <class T>
Variable<T> fill_constant(Variable<T>& v, double value, const char* op) {
  check_defined(v, op);
  std::fill(v.value().begin(), v.value().end(), static_cast<T>(value));
  return v;
}

template <class T>
Variable<T> fill_normal(Variable<T>& v, double mean, double stddev, const char* op) {
  check_defined(v, op);
  if (!(stddev >= 0.0)) throw Error(std::string(op) + ": expected std >= 0, got " + std::to_string(stddev));
  if (stddev == 0.0) return fill(v, [mean](auto&) { return T(mean); });  // std::normal_distribution needs std > 0
  return fill(v, std::normal_distribution<T>(T(mean), T(stddev)));
}

template <class T>
Variable<T> fill_uniform(Variable<T>& v, double low, double high, const char* op) {
  check_defined(v, op);
  if (!(low <= high))
    throw Error(std::string(op) + ": expected low <= high, got low = " + std::to_string(low) +
                ", high = " + std::to_string(high));
  return fill(v, std::uniform_real_distribution<T>(T(low), T(high)));
}

// The weight's (fan_in, fan_out), or an Error naming `op` when it has none (rank < 2).
template <class T>
std::pair<std::size_t, std::size_t> fans(const Variable<T>& v, const char* op) {
  if (v.dim() < 2)
    throw Error(std::string(op) + ": expected a weight of rank >= 2 (out, in, ...) to compute its fans, got shape " +
                shape_str(v.shape()));
  return calculate_fan_in_and_fan_out(v.shape());
}

template <class T>
double fan(const Variable<T>& v, FanModeType mode, const char* op) {
  const auto [fan_in, fan_out] = fans(v, op);
  return double(std::holds_alternative<enumtype::kFanIn>(mode) ? fan_in : fan_out);
}

}  // namespace

double calculate_gain(NonlinearityType nonlinearity, double param) {
  if (std::holds_alternative<enumtype::kTanh>(nonlinearity)) return 5.0 / 3.0;
  if (std::holds_alternative<enumtype::kReLU>(nonlinearity)) return std::sqrt(2.0);
  if (std::holds_alternative<enumtype::kLeakyReLU>(nonlinearity)) return std::sqrt(2.0 / (1.0 + param * param));
  return 1.0;  // kLinear, the convolutions, kSigmoid
}

std::pair<std::size_t, std::size_t> calculate_fan_in_and_fan_out(const Shape& shape) {
  if (shape.size() < 2)
    throw Error("calculate_fan_in_and_fan_out: expected a weight of rank >= 2 (out, in, ...), got shape " +
                shape_str(shape));
  std::size_t receptive_field = 1;  // kh·kw for a conv weight
  for (std::size_t d = 2; d < shape.size(); ++d) receptive_field *= shape[d];
  return {shape[1] * receptive_field, shape[0] * receptive_field};
}

template <class T>
Variable<T> kaiming_normal_(Variable<T>& v, double a, FanModeType mode, NonlinearityType nonlinearity) {
  check_defined(v, "kaiming_normal_");
  if (v.numel() == 0) return v;
  const double stddev = calculate_gain(nonlinearity, a) / std::sqrt(fan(v, mode, "kaiming_normal_"));
  return fill_normal(v, 0.0, stddev, "kaiming_normal_");
}

template <class T>
Variable<T> kaiming_uniform_(Variable<T>& v, double a, FanModeType mode, NonlinearityType nonlinearity) {
  check_defined(v, "kaiming_uniform_");
  if (v.numel() == 0) return v;
  const double bound = std::sqrt(3.0) * calculate_gain(nonlinearity, a) / std::sqrt(fan(v, mode, "kaiming_uniform_"));
  return fill_uniform(v, -bound, bound, "kaiming_uniform_");
}

template <class T>
Variable<T> xavier_normal_(Variable<T>& v, double gain) {
  check_defined(v, "xavier_normal_");
  if (v.numel() == 0) return v;
  const auto [fan_in, fan_out] = fans(v, "xavier_normal_");
  return fill_normal(v, 0.0, gain * std::sqrt(2.0 / double(fan_in + fan_out)), "xavier_normal_");
}

template <class T>
Variable<T> xavier_uniform_(Variable<T>& v, double gain) {
  check_defined(v, "xavier_uniform_");
  if (v.numel() == 0) return v;
  const auto [fan_in, fan_out] = fans(v, "xavier_uniform_");
  const double bound = std::sqrt(3.0) * gain * std::sqrt(2.0 / double(fan_in + fan_out));
  return fill_uniform(v, -bound, bound, "xavier_uniform_");
}

template <class T>
Variable<T> constant_(Variable<T>& v, double value) {
  return fill_constant(v, value, "constant_");
}

template <class T>
Variable<T> zeros_(Variable<T>& v) {
  return fill_constant(v, 0.0, "zeros_");
}

template <class T>
Variable<T> ones_(Variable<T>& v) {
  return fill_constant(v, 1.0, "ones_");
}

template <class T>
Variable<T> eye_(Variable<T>& v) {
  check_defined(v, "eye_");
  if (v.dim() != 2) throw Error("eye_: expected a 2-D tensor, got shape " + shape_str(v.shape()));
  const std::size_t cols = v.shape()[1];
  fill_constant(v, 0.0, "eye_");
  for (std::size_t i = 0; i < std::min(v.shape()[0], cols); ++i) v.value().data()[i * cols + i] = T(1);
  return v;
}

template <class T>
Variable<T> orthogonal_(Variable<T>& v, double gain) {
  check_defined(v, "orthogonal_");
  if (v.dim() < 2) throw Error("orthogonal_: expected a tensor of rank >= 2, got shape " + shape_str(v.shape()));
  if (v.numel() == 0) return v;
  const std::size_t rows = v.shape()[0], cols = v.numel() / rows;
  // Orthonormalise the n Gaussian columns of an (m, n) matrix, m >= n (modified Gram-Schmidt, in
  // double); for rows < cols the result is its transpose. Positive norms fix the signs, so the
  // matrix is uniform over the orthogonal ones, as PyTorch's QR with its sign correction gives.
  const std::size_t m = std::max(rows, cols), n = std::min(rows, cols);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<double> q(m * n);  // column j at q[j * m ...]
  for (double& x : q) x = normal(generator());
  for (std::size_t j = 0; j < n; ++j) {
    double* col = q.data() + j * m;
    for (std::size_t i = 0; i < j; ++i) {
      const double* prev = q.data() + i * m;
      double dot = 0;
      for (std::size_t r = 0; r < m; ++r) dot += prev[r] * col[r];
      for (std::size_t r = 0; r < m; ++r) col[r] -= dot * prev[r];
    }
    double norm = 0;
    for (std::size_t r = 0; r < m; ++r) norm += col[r] * col[r];
    norm = std::sqrt(norm);
    for (std::size_t r = 0; r < m; ++r) col[r] /= norm;
  }
  T* out = v.value().data();
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < cols; ++c)
      out[r * cols + c] = static_cast<T>(gain * (rows >= cols ? q[c * m + r] : q[r * m + c]));
  return v;
}

template <class T>
Variable<T> normal_(Variable<T>& v, double mean, double stddev) {
  return fill_normal(v, mean, stddev, "normal_");
}

template <class T>
Variable<T> uniform_(Variable<T>& v, double low, double high) {
  return fill_uniform(v, low, high, "uniform_");
}

#define TG_INSTANTIATE(T)                                                                     \
  template Variable<T> kaiming_normal_(Variable<T>&, double, FanModeType, NonlinearityType);          \
  template Variable<T> kaiming_uniform_(Variable<T>&, double, FanModeType, NonlinearityType);         \
  template Variable<T> xavier_normal_(Variable<T>&, double);                                  \
  template Variable<T> xavier_uniform_(Variable<T>&, double);                                 \
  template Variable<T> constant_(Variable<T>&, double);                                       \
  template Variable<T> zeros_(Variable<T>&);                                                  \
  template Variable<T> eye_(Variable<T>&);                                                    \
  template Variable<T> orthogonal_(Variable<T>&, double);                                     \
  template Variable<T> ones_(Variable<T>&);                                                   \
  template Variable<T> normal_(Variable<T>&, double, double);                                 \
  template Variable<T> uniform_(Variable<T>&, double, double);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)
#undef TG_INSTANTIATE

// Each Tensor form calls the typed one on the tensor's own Variable (a copy shares its value).
#define TG_INIT_TENSOR(name, params, args)                                                            \
  Tensor name(Tensor t TG_UNPAREN params) {                                                         \
    check_floating(t, "init::" #name);                                                               \
    if (t.scalar_type() == kFloat) name(t.variable<float>() TG_UNPAREN args);                         \
    else name(t.variable<double>() TG_UNPAREN args);                                                  \
    return t;                                                                                         \
  }
#define TG_UNPAREN(...) __VA_ARGS__
TG_INIT_TENSOR(kaiming_normal_, (, double a, FanModeType mode, NonlinearityType nonlinearity), (, a, mode, nonlinearity))
TG_INIT_TENSOR(kaiming_uniform_, (, double a, FanModeType mode, NonlinearityType nonlinearity), (, a, mode, nonlinearity))
TG_INIT_TENSOR(xavier_normal_, (, double gain), (, gain))
TG_INIT_TENSOR(xavier_uniform_, (, double gain), (, gain))
TG_INIT_TENSOR(constant_, (, double value), (, value))
TG_INIT_TENSOR(zeros_, (), ())
TG_INIT_TENSOR(eye_, (), ())
TG_INIT_TENSOR(orthogonal_, (, double gain), (, gain))
TG_INIT_TENSOR(ones_, (), ())
TG_INIT_TENSOR(normal_, (, double mean, double std), (, mean, std))
TG_INIT_TENSOR(uniform_, (, double low, double high), (, low, high))
#undef TG_UNPAREN
#undef TG_INIT_TENSOR

}  // namespace tg::nn::init
