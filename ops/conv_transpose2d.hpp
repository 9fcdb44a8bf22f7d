// conv_transpose2d: the transposed 2-D convolution (torch::conv_transpose2d), the gradient of conv2d
// with respect to its input taken as a layer. Its forward is conv2d's input-gradient product and its
// backward conv2d's forward (for the input) and weight-gradient (for the weight) products: the same
// kernels, with no formula of its own.
#pragma once

#include <array>
#include <cstddef>

#include <tapegrad/core/variable.hpp>

namespace tg {

// x (N, Cin, H, W), weight (Cin, Cout, kh, kw) (LibTorch's layout), bias (Cout,) or undefined
// -> (N, Cout, OH, OW), OH = (H - 1)·stride - 2·padding + kh + output_padding, and likewise OW.
// output_padding must be smaller than the stride (dilation 1 and groups 1 only).
template <class T>
Variable<T> conv_transpose2d(const Variable<T>& x, const Variable<T>& weight, const Variable<T>& bias,
                             std::array<std::size_t, 2> stride = {1, 1}, std::array<std::size_t, 2> padding = {0, 0},
                             std::array<std::size_t, 2> output_padding = {0, 0});

}  // namespace tg

namespace tg::nn::functional {

// F::conv_transpose2d(x, weight, F::ConvTranspose2dFuncOptions().bias(b).stride(2).output_padding(1)).
template <class T = float>
struct ConvTranspose2dFuncOptions {
  using Pair = std::array<std::size_t, 2>;
  ConvTranspose2dFuncOptions& bias(Variable<T> bias) { return bias_ = std::move(bias), *this; }
  ConvTranspose2dFuncOptions& stride(std::size_t s) { return stride_ = {s, s}, *this; }
  ConvTranspose2dFuncOptions& stride(Pair s) { return stride_ = s, *this; }
  ConvTranspose2dFuncOptions& padding(std::size_t p) { return padding_ = {p, p}, *this; }
  ConvTranspose2dFuncOptions& padding(Pair p) { return padding_ = p, *this; }
  ConvTranspose2dFuncOptions& output_padding(std::size_t p) { return output_padding_ = {p, p}, *this; }
  ConvTranspose2dFuncOptions& output_padding(Pair p) { return output_padding_ = p, *this; }
  const Variable<T>& bias() const { return bias_; }
  Pair stride() const { return stride_; }
  Pair padding() const { return padding_; }
  Pair output_padding() const { return output_padding_; }

 private:
  Variable<T> bias_;
  Pair stride_{1, 1}, padding_{0, 0}, output_padding_{0, 0};
};

template <class T>
Variable<T> conv_transpose2d(const Variable<T>& x, const Variable<T>& weight,
                             const ConvTranspose2dFuncOptions<T>& options = {}) {
  return tg::conv_transpose2d(x, weight, options.bias(), options.stride(), options.padding(), options.output_padding());
}

}  // namespace tg::nn::functional
