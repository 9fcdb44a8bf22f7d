// tg::nn::Conv2d: 2-D convolution over (N, C, H, W) batches, with LibTorch's weight layout
// (out_channels, in_channels, kh, kw), options and default initialisation.
//
//   tg::nn::Conv2d conv(1, 10, 5);                        // 5x5, stride 1
//   tg::nn::Conv2d down(
//       tg::nn::Conv2dOptions(16, 32, 3).stride(2).padding(1).bias(false));
#pragma once

#include <cstddef>

#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/module_holder.hpp>
#include <tapegrad/ops/tensor_ops.hpp>
#include <tapegrad/modules/size2.hpp>

namespace tg::nn {

class Conv2dOptions {
 public:
  Conv2dOptions(std::size_t in_channels, std::size_t out_channels, Size2 kernel_size)
      : in_channels_(in_channels), out_channels_(out_channels), kernel_size_(kernel_size) {}

  Conv2dOptions& stride(Size2 stride) { return stride_ = stride, *this; }
  Conv2dOptions& padding(Size2 padding) { return padding_ = padding, *this; }  // zeros on every side
  Conv2dOptions& bias(bool bias) { return bias_ = bias, *this; }

  std::size_t in_channels() const { return in_channels_; }
  std::size_t out_channels() const { return out_channels_; }
  Size2 kernel_size() const { return kernel_size_; }
  Size2 stride() const { return stride_; }
  Size2 padding() const { return padding_; }
  bool bias() const { return bias_; }

 private:
  std::size_t in_channels_, out_channels_;
  Size2 kernel_size_;
  Size2 stride_ = 1;
  Size2 padding_ = 0;
  bool bias_ = true;
};

class Conv2dImpl : public Module {
 public:
  explicit Conv2dImpl(const Conv2dOptions& options);
  Conv2dImpl(std::size_t in_channels, std::size_t out_channels, Size2 kernel_size)
      : Conv2dImpl(Conv2dOptions(in_channels, out_channels, kernel_size)) {}

  // x (N, in_channels, H, W) -> (N, out_channels, OH, OW), OH = (H + 2·padding - kh) / stride + 1.
  Tensor forward(const Tensor& x);
  // Draws fresh weights: U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = in_channels·kh·kw, as LibTorch.
  void reset_parameters();
  void pretty_print(std::ostream& stream) const override;

  const Conv2dOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<Conv2dImpl>(options_); }

  Tensor weight;  // (out_channels, in_channels, kh, kw)
  Tensor bias;    // (out_channels,); undefined with options.bias(false)

 private:
  Conv2dOptions options_;
};
TG_MODULE(Conv2d);

}  // namespace tg::nn
