// Activation layers, for Sequential: ReLU, LeakyReLU, Tanh, Sigmoid, GELU, Softmax, LogSoftmax and
// Identity, each wrapping its op.
#pragma once

#include <cstdint>

#include <tapegrad/modules/module.hpp>
#include <tapegrad/ops/gelu.hpp>

namespace tg::nn {

// max(x, 0), elementwise.
class ReLU : public Module {
 public:
  Variable<float> forward(const Variable<float>& x) override;
  void pretty_print(std::ostream& stream) const override;
};

// x for x > 0, negative_slope·x otherwise.
class LeakyReLU : public Module {
 public:
  explicit LeakyReLU(double negative_slope = 0.01) : negative_slope_(negative_slope) {}
  Variable<float> forward(const Variable<float>& x) override;
  void pretty_print(std::ostream& stream) const override;

  double negative_slope() const { return negative_slope_; }

 private:
  double negative_slope_;
};

}  // namespace tg::nn

namespace tg::nn {

// tanh(x), elementwise.
class Tanh : public Module {
 public:
  Variable<float> forward(const Variable<float>& x) override;
  void pretty_print(std::ostream& stream) const override;
};

// 1 / (1 + e^-x), elementwise.
class Sigmoid : public Module {
 public:
  Variable<float> forward(const Variable<float>& x) override;
  void pretty_print(std::ostream& stream) const override;
};

// x·Φ(x) or its tanh approximation (tg::gelu).
class GELU : public Module {
 public:
  explicit GELU(const GELUOptions& options = {}) : options_(options) {}
  Variable<float> forward(const Variable<float>& x) override;
  void pretty_print(std::ostream& stream) const override;
  const GELUOptions& options() const { return options_; }

 private:
  GELUOptions options_;
};

class SoftmaxOptions {
 public:
  SoftmaxOptions(std::int64_t dim) : dim_(dim) {}  // NOLINT: implicit, as LibTorch's
  SoftmaxOptions& dim(std::int64_t dim) { return dim_ = dim, *this; }
  std::int64_t dim() const { return dim_; }

 private:
  std::int64_t dim_;
};
using LogSoftmaxOptions = SoftmaxOptions;

// softmax along options.dim().
class Softmax : public Module {
 public:
  explicit Softmax(const SoftmaxOptions& options) : options_(options) {}
  Variable<float> forward(const Variable<float>& x) override;
  void pretty_print(std::ostream& stream) const override;
  const SoftmaxOptions& options() const { return options_; }

 private:
  SoftmaxOptions options_;
};

// log_softmax along options.dim().
class LogSoftmax : public Module {
 public:
  explicit LogSoftmax(const LogSoftmaxOptions& options) : options_(options) {}
  Variable<float> forward(const Variable<float>& x) override;
  void pretty_print(std::ostream& stream) const override;
  const LogSoftmaxOptions& options() const { return options_; }

 private:
  LogSoftmaxOptions options_;
};

// Returns its input (the same tensor), as LibTorch's: a placeholder in a Sequential.
class Identity : public Module {
 public:
  Variable<float> forward(const Variable<float>& x) override { return x; }
  void pretty_print(std::ostream& stream) const override;
};

}  // namespace tg::nn
