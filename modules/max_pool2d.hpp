// tg::nn::MaxPool2d: the maximum of each window of each channel, over (N, C, H, W) batches.
//
//   tg::nn::MaxPool2d pool(2);   // 2x2 windows, stride 2
//   tg::nn::MaxPool2d overlapping(tg::nn::MaxPool2dOptions(3).stride(2).padding(1));
#pragma once

#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/module_holder.hpp>
#include <tapegrad/ops/tensor_ops.hpp>
#include <tapegrad/modules/size2.hpp>

namespace tg::nn {

class MaxPool2dOptions {
 public:
  // The stride defaults to the kernel size (non-overlapping windows), as in LibTorch.
  MaxPool2dOptions(Size2 kernel_size) : kernel_size_(kernel_size), stride_(kernel_size) {}  // NOLINT: implicit

  MaxPool2dOptions& stride(Size2 stride) { return stride_ = stride, *this; }
  MaxPool2dOptions& padding(Size2 padding) { return padding_ = padding, *this; }  // -infinity, at most kernel/2

  Size2 kernel_size() const { return kernel_size_; }
  Size2 stride() const { return stride_; }
  Size2 padding() const { return padding_; }

 private:
  Size2 kernel_size_;
  Size2 stride_;
  Size2 padding_ = 0;
};

class MaxPool2dImpl : public Module {
 public:
  explicit MaxPool2dImpl(const MaxPool2dOptions& options) : options_(options) {}
  explicit MaxPool2dImpl(Size2 kernel_size) : options_(kernel_size) {}

  // x (N, C, H, W) -> (N, C, OH, OW), OH = (H + 2·padding - kh) / stride + 1.
  Tensor forward(const Tensor& x);
  void pretty_print(std::ostream& stream) const override;

  const MaxPool2dOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<MaxPool2dImpl>(options_); }

 private:
  MaxPool2dOptions options_;
};
TG_MODULE(MaxPool2d);

}  // namespace tg::nn
