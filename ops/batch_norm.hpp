// batch_norm: normalises each channel (dim 1) of x over the batch and every position, as LibTorch's
// torch::batch_norm. One op with its own backward (not a chain of primitives): forward and backward
// each sweep x a few times per channel through SIMD row kernels.
#pragma once

#include <optional>

#include <tapegrad/core/variable.hpp>

namespace tg {

// x (N, C, *) -> y of x's shape, y = (x - mean) / sqrt(var + eps) * weight + bias per channel.
// training: mean and (biased) var of this batch; running_mean and running_var (C,), when defined,
// become (1 - momentum) * running + momentum * batch statistic, with the unbiased variance (LibTorch's
// rule). Otherwise: the running statistics, which must then be defined. weight and bias (C,) may be
// undefined (Variable<T>()): no scaling, no shift. The running statistics are never differentiated.
template <class T>
Variable<T> batch_norm(const Variable<T>& x, const Variable<T>& weight, const Variable<T>& bias,
                       const Variable<T>& running_mean, const Variable<T>& running_var, bool training,
                       double momentum = 0.1, double eps = 1e-5);

}  // namespace tg

namespace tg::nn::functional {

// F::batch_norm(x, running_mean, running_var, F::BatchNormFuncOptions().weight(w).bias(b).training(true)).
// As in LibTorch, the defaults are training false, momentum 0.1, eps 1e-5; momentum must be set.
template <class T = float>
struct BatchNormFuncOptions {
  BatchNormFuncOptions& weight(Variable<T> weight) { return weight_ = std::move(weight), *this; }
  BatchNormFuncOptions& bias(Variable<T> bias) { return bias_ = std::move(bias), *this; }
  BatchNormFuncOptions& training(bool training) { return training_ = training, *this; }
  BatchNormFuncOptions& momentum(std::optional<double> momentum) { return momentum_ = momentum, *this; }
  BatchNormFuncOptions& eps(double eps) { return eps_ = eps, *this; }
  const Variable<T>& weight() const { return weight_; }
  const Variable<T>& bias() const { return bias_; }
  bool training() const { return training_; }
  std::optional<double> momentum() const { return momentum_; }
  double eps() const { return eps_; }

 private:
  Variable<T> weight_, bias_;
  bool training_ = false;
  std::optional<double> momentum_ = 0.1;
  double eps_ = 1e-5;
};

template <class T>
Variable<T> batch_norm(const Variable<T>& x, const Variable<T>& running_mean, const Variable<T>& running_var,
                       const BatchNormFuncOptions<T>& options = {}) {
  if (!options.momentum()) throw Error("batch_norm: momentum must be a number here (None is for the module's cumulative average)");
  return tg::batch_norm(x, options.weight(), options.bias(), running_mean, running_var, options.training(),
                        *options.momentum(), options.eps());
}

}  // namespace tg::nn::functional
