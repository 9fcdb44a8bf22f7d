// layer_norm: normalises each sample over its last dims (normalized_shape), as torch::layer_norm.
// One op with its own backward, through the same SIMD row kernels as batch_norm.
#pragma once

#include <cstdint>
#include <vector>

#include <tapegrad/core/tensor.hpp>
#include <tapegrad/core/variable.hpp>

namespace tg {

// x (*, normalized_shape) -> y of x's shape, y = (x - mean) / sqrt(var + eps) * weight + bias, mean and
// (biased) var over the trailing normalized_shape. weight and bias have normalized_shape, or are
// undefined (Variable<T>()) for none.
template <class T>
Variable<T> layer_norm(const Variable<T>& x, const Shape& normalized_shape, const Variable<T>& weight,
                       const Variable<T>& bias, double eps = 1e-5);

}  // namespace tg

namespace tg::nn::functional {

// F::layer_norm(x, F::LayerNormFuncOptions({10}).weight(w).bias(b).eps(1e-5)): weight and bias
// undefined (none) by default, eps 1e-5, as in LibTorch.
struct LayerNormFuncOptions {
  LayerNormFuncOptions(std::vector<std::int64_t> normalized_shape)  // NOLINT: implicit, as LibTorch's
      : normalized_shape_(std::move(normalized_shape)) {}
  LayerNormFuncOptions& normalized_shape(std::vector<std::int64_t> shape) { return normalized_shape_ = std::move(shape), *this; }
  LayerNormFuncOptions& weight(Tensor weight) { return weight_ = std::move(weight), *this; }
  LayerNormFuncOptions& bias(Tensor bias) { return bias_ = std::move(bias), *this; }
  LayerNormFuncOptions& eps(double eps) { return eps_ = eps, *this; }
  const std::vector<std::int64_t>& normalized_shape() const { return normalized_shape_; }
  const Tensor& weight() const { return weight_; }
  const Tensor& bias() const { return bias_; }
  double eps() const { return eps_; }

 private:
  std::vector<std::int64_t> normalized_shape_;
  Tensor weight_, bias_;
  double eps_ = 1e-5;
};

Tensor layer_norm(const Tensor& x, const LayerNormFuncOptions& options);

// The same on Variables (the options' weight and bias then hold Variable<T>s too).
template <class T>
Variable<T> layer_norm(const Variable<T>& x, const LayerNormFuncOptions& options) {
  return layer_norm(Tensor(x), options).template variable<T>();
}

}  // namespace tg::nn::functional
