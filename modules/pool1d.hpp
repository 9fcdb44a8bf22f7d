// tg::nn::MaxPool1d and AvgPool1d: the maximum or mean of each window of each channel, over (N, C, L)
// batches (or unbatched (C, L)), as LibTorch's.
//
//   tg::nn::MaxPool1d pool(tg::nn::MaxPool1dOptions(3).stride(1));
//   tg::nn::AvgPool1d mean(2);   // windows of 2, stride 2
#pragma once

#include <cstddef>

#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/module_holder.hpp>
#include <tapegrad/ops/tensor_ops.hpp>

namespace tg::nn {

class MaxPool1dOptions {
 public:
  // The stride defaults to the kernel size (non-overlapping windows), as in LibTorch.
  MaxPool1dOptions(std::size_t kernel_size) : kernel_size_(kernel_size), stride_(kernel_size) {}  // NOLINT: implicit

  MaxPool1dOptions& stride(std::size_t stride) { return stride_ = stride, *this; }
  MaxPool1dOptions& padding(std::size_t padding) { return padding_ = padding, *this; }  // -infinity, at most kernel/2

  std::size_t kernel_size() const { return kernel_size_; }
  std::size_t stride() const { return stride_; }
  std::size_t padding() const { return padding_; }

 private:
  std::size_t kernel_size_, stride_;
  std::size_t padding_ = 0;
};

class MaxPool1dImpl : public Module {
 public:
  explicit MaxPool1dImpl(const MaxPool1dOptions& options) : options_(options) {}
  // x (N, C, L) -> (N, C, OL), OL = (L + 2·padding - kernel) / stride + 1.
  Tensor forward(const Tensor& x);
  void pretty_print(std::ostream& stream) const override;
  const MaxPool1dOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<MaxPool1dImpl>(options_); }

 private:
  MaxPool1dOptions options_;
};
TG_MODULE(MaxPool1d);

class AvgPool1dOptions {
 public:
  // The stride defaults to the kernel size, as in LibTorch.
  AvgPool1dOptions(std::size_t kernel_size) : kernel_size_(kernel_size), stride_(kernel_size) {}  // NOLINT: implicit

  AvgPool1dOptions& stride(std::size_t stride) { return stride_ = stride, *this; }
  AvgPool1dOptions& padding(std::size_t padding) { return padding_ = padding, *this; }  // zeros, at most kernel/2
  AvgPool1dOptions& ceil_mode(bool ceil) { return ceil_mode_ = ceil, *this; }
  AvgPool1dOptions& count_include_pad(bool include) { return count_include_pad_ = include, *this; }

  std::size_t kernel_size() const { return kernel_size_; }
  std::size_t stride() const { return stride_; }
  std::size_t padding() const { return padding_; }
  bool ceil_mode() const { return ceil_mode_; }
  bool count_include_pad() const { return count_include_pad_; }

 private:
  std::size_t kernel_size_, stride_;
  std::size_t padding_ = 0;
  bool ceil_mode_ = false;
  bool count_include_pad_ = true;
};

class AvgPool1dImpl : public Module {
 public:
  explicit AvgPool1dImpl(const AvgPool1dOptions& options) : options_(options) {}
  Tensor forward(const Tensor& x);
  void pretty_print(std::ostream& stream) const override;
  const AvgPool1dOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<AvgPool1dImpl>(options_); }

 private:
  AvgPool1dOptions options_;
};
TG_MODULE(AvgPool1d);

}  // namespace tg::nn
