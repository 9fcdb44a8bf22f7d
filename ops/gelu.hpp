// gelu: x·Φ(x), Φ the standard normal CDF (approximate "none"), or its tanh approximation
// 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) (approximate "tanh"), as torch::gelu.
#pragma once

#include <string>

#include <tapegrad/core/tensor.hpp>
#include <tapegrad/core/variable.hpp>

namespace tg {

// approximate: "none" or "tanh"; anything else throws.
template <class T>
Variable<T> gelu(const Variable<T>& x, const std::string& approximate = "none");

}  // namespace tg

namespace tg::nn {

// GELU(GELUOptions().approximate("tanh")), F::gelu(x, F::GELUFuncOptions().approximate("tanh")).
class GELUOptions {
 public:
  GELUOptions& approximate(std::string approximate) { return approximate_ = std::move(approximate), *this; }
  const std::string& approximate() const { return approximate_; }

 private:
  std::string approximate_ = "none";
};

namespace functional {
using GELUFuncOptions = GELUOptions;
template <class T>
Variable<T> gelu(const Variable<T>& x, const GELUFuncOptions& options) {
  return tg::gelu(x, options.approximate());
}
// On a Float or Double tensor. No default options: F::gelu(x) is tg::gelu(x), approximate "none".
Tensor gelu(const Tensor& x, const GELUFuncOptions& options);
}  // namespace functional

}  // namespace tg::nn
