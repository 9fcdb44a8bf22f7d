// tg::nn::AvgPool2d, AdaptiveAvgPool2d: the mean of each window of each channel, as LibTorch's.
//
//   tg::nn::AvgPool2d pool(2);      // 2x2 windows, stride 2
//   tg::nn::AdaptiveAvgPool2d gap(1); // global average: (N, C, 1, 1)
#pragma once

#include <cstdint>
#include <optional>

#include <tapegrad/core/variable.hpp>
#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/module_holder.hpp>
#include <tapegrad/ops/tensor_ops.hpp>
#include <tapegrad/modules/size2.hpp>

namespace tg::nn {

class AvgPool2dOptions {
 public:
  // The stride defaults to the kernel size, as in LibTorch.
  AvgPool2dOptions(Size2 kernel_size) : kernel_size_(kernel_size), stride_(kernel_size) {}  // NOLINT: implicit

  AvgPool2dOptions& kernel_size(Size2 k) { return kernel_size_ = k, *this; }
  AvgPool2dOptions& stride(Size2 stride) { return stride_ = stride, *this; }
  AvgPool2dOptions& padding(Size2 padding) { return padding_ = padding, *this; }  // zeros, at most kernel/2
  AvgPool2dOptions& ceil_mode(bool ceil) { return ceil_mode_ = ceil, *this; }
  AvgPool2dOptions& count_include_pad(bool include) { return count_include_pad_ = include, *this; }
  AvgPool2dOptions& divisor_override(std::optional<std::int64_t> d) { return divisor_override_ = d, *this; }

  Size2 kernel_size() const { return kernel_size_; }
  Size2 stride() const { return stride_; }
  Size2 padding() const { return padding_; }
  bool ceil_mode() const { return ceil_mode_; }
  bool count_include_pad() const { return count_include_pad_; }
  std::optional<std::int64_t> divisor_override() const { return divisor_override_; }

 private:
  Size2 kernel_size_, stride_;
  Size2 padding_ = 0;
  bool ceil_mode_ = false;
  bool count_include_pad_ = true;
  std::optional<std::int64_t> divisor_override_;
};

class AvgPool2dImpl : public Module {
 public:
  explicit AvgPool2dImpl(const AvgPool2dOptions& options) : options_(options) {}
  explicit AvgPool2dImpl(Size2 kernel_size) : options_(kernel_size) {}
  // x (N, C, H, W) or (C, H, W) -> (.., OH, OW).
  Tensor forward(const Tensor& x);
  void pretty_print(std::ostream& stream) const override;
  const AvgPool2dOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<AvgPool2dImpl>(options_); }

 private:
  AvgPool2dOptions options_;
};
TG_MODULE(AvgPool2d);

class AdaptiveAvgPool2dOptions {
 public:
  AdaptiveAvgPool2dOptions(Size2 output_size) : output_size_(output_size) {}  // NOLINT: implicit
  AdaptiveAvgPool2dOptions& output_size(Size2 size) { return output_size_ = size, *this; }
  Size2 output_size() const { return output_size_; }

 private:
  Size2 output_size_;
};

class AdaptiveAvgPool2dImpl : public Module {
 public:
  explicit AdaptiveAvgPool2dImpl(const AdaptiveAvgPool2dOptions& options) : options_(options) {}
  explicit AdaptiveAvgPool2dImpl(Size2 output_size) : options_(output_size) {}
  // x (N, C, H, W) or (C, H, W) -> (.., output_size).
  Tensor forward(const Tensor& x);
  void pretty_print(std::ostream& stream) const override;
  const AdaptiveAvgPool2dOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<AdaptiveAvgPool2dImpl>(options_); }

 private:
  AdaptiveAvgPool2dOptions options_;
};
TG_MODULE(AdaptiveAvgPool2d);

}  // namespace tg::nn

namespace tg::nn::functional {

// F::avg_pool2d(x, F::AvgPool2dFuncOptions(2).stride(1)), F::adaptive_avg_pool2d(x, F::AdaptiveAvgPool2dFuncOptions(1)).
using AvgPool2dFuncOptions = AvgPool2dOptions;
using AdaptiveAvgPool2dFuncOptions = AdaptiveAvgPool2dOptions;

template <class T>
Variable<T> avg_pool2d(const Variable<T>& x, const AvgPool2dFuncOptions& o);
template <class T>
Variable<T> adaptive_avg_pool2d(const Variable<T>& x, const AdaptiveAvgPool2dFuncOptions& o);
Tensor avg_pool2d(const Tensor& x, const AvgPool2dFuncOptions& o);
Tensor adaptive_avg_pool2d(const Tensor& x, const AdaptiveAvgPool2dFuncOptions& o);

}  // namespace tg::nn::functional
