// conv_transpose2d: the transposed 2-D convolution (torch::conv_transpose2d), the gradient of conv2d
// with respect to its input taken as a layer. Its forward is conv2d's input-gradient product and its
// backward conv2d's forward (for the input) and weight-gradient (for the weight) products: the same
// kernels, with no formula of its own.
#pragma once

#include <array>
#include <cstddef>

#include <cstdint>

#include <tapegrad/core/int_array_ref.hpp>
#include <tapegrad/core/tensor.hpp>
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

// F::conv_transpose2d(x, weight, F::ConvTranspose2dFuncOptions().bias(b).stride(2).padding(1).output_padding(1)).
// stride, padding, output_padding and dilation: one number for both axes or {h, w}, as LibTorch's.
// groups and dilation are there with LibTorch's defaults (1); any other value throws.
struct ConvTranspose2dFuncOptions {
  ConvTranspose2dFuncOptions& bias(Tensor bias) { return bias_ = std::move(bias), *this; }
  ConvTranspose2dFuncOptions& stride(IntArrayRef s) { return stride_ = std::move(s), *this; }
  ConvTranspose2dFuncOptions& padding(IntArrayRef p) { return padding_ = std::move(p), *this; }
  ConvTranspose2dFuncOptions& output_padding(IntArrayRef p) { return output_padding_ = std::move(p), *this; }
  ConvTranspose2dFuncOptions& groups(std::int64_t groups) { return groups_ = groups, *this; }
  ConvTranspose2dFuncOptions& dilation(IntArrayRef d) { return dilation_ = std::move(d), *this; }
  const Tensor& bias() const { return bias_; }
  const IntArrayRef& stride() const { return stride_; }
  const IntArrayRef& padding() const { return padding_; }
  const IntArrayRef& output_padding() const { return output_padding_; }
  std::int64_t groups() const { return groups_; }
  const IntArrayRef& dilation() const { return dilation_; }

 private:
  Tensor bias_;
  IntArrayRef stride_ = 1, padding_ = 0, output_padding_ = 0;
  std::int64_t groups_ = 1;
  IntArrayRef dilation_ = 1;
};

// No default options: F::conv_transpose2d(x, weight) is tg::conv_transpose2d(x, weight).
Tensor conv_transpose2d(const Tensor& x, const Tensor& weight, const ConvTranspose2dFuncOptions& options);

// The same on Variables (the options' bias then holds a Variable<T> too).
template <class T>
Variable<T> conv_transpose2d(const Variable<T>& x, const Variable<T>& weight,
                             const ConvTranspose2dFuncOptions& options = {}) {
  return conv_transpose2d(Tensor(x), Tensor(weight), options).template variable<T>();
}

}  // namespace tg::nn::functional
