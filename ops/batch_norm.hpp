// batch_norm: normalises each channel (dim 1) of x over the batch and every position, as LibTorch's
// torch::batch_norm. One op with its own backward (not a chain of primitives): forward and backward
// each sweep x a few times per channel through SIMD row kernels.
#pragma once

#include <optional>

#include <tapegrad/core/tensor.hpp>
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

// F::batch_norm(x, running_mean, running_var,
//               F::BatchNormFuncOptions().weight(w).bias(b).training(true).momentum(0.1).eps(1e-5)).
// As in LibTorch: weight and bias undefined (none) by default, training false, momentum 0.1, eps 1e-5;
// momentum must be a number here (LibTorch fails on None too).
struct BatchNormFuncOptions {
  BatchNormFuncOptions& weight(Tensor weight) { return weight_ = std::move(weight), *this; }
  BatchNormFuncOptions& bias(Tensor bias) { return bias_ = std::move(bias), *this; }
  BatchNormFuncOptions& training(bool training) { return training_ = training, *this; }
  BatchNormFuncOptions& momentum(std::optional<double> momentum) { return momentum_ = momentum, *this; }
  BatchNormFuncOptions& eps(double eps) { return eps_ = eps, *this; }
  const Tensor& weight() const { return weight_; }
  const Tensor& bias() const { return bias_; }
  bool training() const { return training_; }
  std::optional<double> momentum() const { return momentum_; }
  double eps() const { return eps_; }

 private:
  Tensor weight_, bias_;
  bool training_ = false;
  std::optional<double> momentum_ = 0.1;
  double eps_ = 1e-5;
};

// Float or Double x; the running statistics (updated in place in training) must have x's dtype.
Tensor batch_norm(const Tensor& x, const Tensor& running_mean, const Tensor& running_var,
                  const BatchNormFuncOptions& options = {});

// The same on Variables (the options' weight and bias then hold Variable<T>s too).
template <class T>
Variable<T> batch_norm(const Variable<T>& x, const Variable<T>& running_mean, const Variable<T>& running_var,
                       const BatchNormFuncOptions& options = {}) {
  return batch_norm(Tensor(x), Tensor(running_mean), Tensor(running_var), options).template variable<T>();
}

}  // namespace tg::nn::functional
