// layer_norm: normalises each sample over its last dims (normalized_shape), as torch::layer_norm.
// One op with its own backward, through the same SIMD row kernels as batch_norm.
#pragma once

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

// F::layer_norm(x, F::LayerNormFuncOptions({10}).weight(w).bias(b).eps(1e-5)).
template <class T = float>
struct LayerNormFuncOptions {
  LayerNormFuncOptions(Shape normalized_shape) : normalized_shape_(std::move(normalized_shape)) {}  // NOLINT
  LayerNormFuncOptions& weight(Variable<T> weight) { return weight_ = std::move(weight), *this; }
  LayerNormFuncOptions& bias(Variable<T> bias) { return bias_ = std::move(bias), *this; }
  LayerNormFuncOptions& eps(double eps) { return eps_ = eps, *this; }
  const Shape& normalized_shape() const { return normalized_shape_; }
  const Variable<T>& weight() const { return weight_; }
  const Variable<T>& bias() const { return bias_; }
  double eps() const { return eps_; }

 private:
  Shape normalized_shape_;
  Variable<T> weight_, bias_;
  double eps_ = 1e-5;
};

template <class T>
Variable<T> layer_norm(const Variable<T>& x, const LayerNormFuncOptions<T>& options) {
  return tg::layer_norm(x, options.normalized_shape(), options.weight(), options.bias(), options.eps());
}

}  // namespace tg::nn::functional
