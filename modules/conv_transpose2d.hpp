// tg::nn::ConvTranspose2d: the transposed convolution (upsampling by a learnt kernel), with LibTorch's
// weight layout (in_channels, out_channels, kh, kw), options and default initialisation.
//
//   tg::nn::ConvTranspose2d up(
//       tg::nn::ConvTranspose2dOptions(16, 8, 3).stride(2).padding(1).output_padding(1));  // 7x7 -> 14x14
#pragma once

#include <cstddef>

#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/module_holder.hpp>
#include <tapegrad/ops/tensor_ops.hpp>
#include <tapegrad/modules/size2.hpp>

namespace tg::nn {

class ConvTranspose2dOptions {
 public:
  ConvTranspose2dOptions(std::size_t in_channels, std::size_t out_channels, Size2 kernel_size)
      : in_channels_(in_channels), out_channels_(out_channels), kernel_size_(kernel_size) {}

  ConvTranspose2dOptions& stride(Size2 stride) { return stride_ = stride, *this; }
  ConvTranspose2dOptions& padding(Size2 padding) { return padding_ = padding, *this; }
  // Extra rows and columns on the bottom and right of the output, smaller than the stride.
  ConvTranspose2dOptions& output_padding(Size2 p) { return output_padding_ = p, *this; }
  ConvTranspose2dOptions& bias(bool bias) { return bias_ = bias, *this; }
  // LibTorch's groups and dilation: only 1 is supported (the constructor throws otherwise).
  ConvTranspose2dOptions& groups(std::size_t groups) { return groups_ = groups, *this; }
  ConvTranspose2dOptions& dilation(Size2 dilation) { return dilation_ = dilation, *this; }

  std::size_t in_channels() const { return in_channels_; }
  std::size_t out_channels() const { return out_channels_; }
  Size2 kernel_size() const { return kernel_size_; }
  Size2 stride() const { return stride_; }
  Size2 padding() const { return padding_; }
  Size2 output_padding() const { return output_padding_; }
  bool bias() const { return bias_; }
  std::size_t groups() const { return groups_; }
  Size2 dilation() const { return dilation_; }

 private:
  std::size_t in_channels_, out_channels_;
  Size2 kernel_size_;
  Size2 stride_ = 1, padding_ = 0, output_padding_ = 0;
  bool bias_ = true;
  std::size_t groups_ = 1;
  Size2 dilation_ = 1;
};

class ConvTranspose2dImpl : public Module {
 public:
  explicit ConvTranspose2dImpl(const ConvTranspose2dOptions& options);
  ConvTranspose2dImpl(std::size_t in_channels, std::size_t out_channels, Size2 kernel_size)
      : ConvTranspose2dImpl(ConvTranspose2dOptions(in_channels, out_channels, kernel_size)) {}

  // x (N, in_channels, H, W) -> (N, out_channels, OH, OW), OH = (H - 1)·stride - 2·padding + kh + output_padding.
  Tensor forward(const Tensor& x);
  // U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with fan_in = out_channels·kh·kw (the weight's dim 1), as LibTorch.
  void reset_parameters();
  void pretty_print(std::ostream& stream) const override;
  const ConvTranspose2dOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<ConvTranspose2dImpl>(options_); }

  Tensor weight;  // (in_channels, out_channels, kh, kw)
  Tensor bias;    // (out_channels,); undefined with options.bias(false)

 private:
  ConvTranspose2dOptions options_;
};
TG_MODULE(ConvTranspose2d);

}  // namespace tg::nn
