// tg::nn::Conv1d: 1-D convolution over (N, C, L) batches (or unbatched (C, L)), with LibTorch's weight
// layout (out_channels, in_channels, kernel_size), options and default initialisation.
//
//   tg::nn::Conv1d conv(tg::nn::Conv1dOptions(64, 100, 3).stride(1).bias(false));
#pragma once

#include <cstddef>

#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/module_holder.hpp>
#include <tapegrad/ops/tensor_ops.hpp>

namespace tg::nn {

class Conv1dOptions {
 public:
  Conv1dOptions(std::size_t in_channels, std::size_t out_channels, std::size_t kernel_size)
      : in_channels_(in_channels), out_channels_(out_channels), kernel_size_(kernel_size) {}

  Conv1dOptions& stride(std::size_t stride) { return stride_ = stride, *this; }
  Conv1dOptions& padding(std::size_t padding) { return padding_ = padding, *this; }  // zeros at both ends
  Conv1dOptions& bias(bool bias) { return bias_ = bias, *this; }

  std::size_t in_channels() const { return in_channels_; }
  std::size_t out_channels() const { return out_channels_; }
  std::size_t kernel_size() const { return kernel_size_; }
  std::size_t stride() const { return stride_; }
  std::size_t padding() const { return padding_; }
  bool bias() const { return bias_; }

 private:
  std::size_t in_channels_, out_channels_, kernel_size_;
  std::size_t stride_ = 1;
  std::size_t padding_ = 0;
  bool bias_ = true;
};

class Conv1dImpl : public Module {
 public:
  explicit Conv1dImpl(const Conv1dOptions& options);
  Conv1dImpl(std::size_t in_channels, std::size_t out_channels, std::size_t kernel_size)
      : Conv1dImpl(Conv1dOptions(in_channels, out_channels, kernel_size)) {}

  // x (N, in_channels, L) -> (N, out_channels, OL), OL = (L + 2·padding - kernel) / stride + 1.
  Tensor forward(const Tensor& x);
  // Draws fresh weights: U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = in_channels·kernel, as LibTorch.
  void reset_parameters();
  void pretty_print(std::ostream& stream) const override;

  const Conv1dOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<Conv1dImpl>(options_); }

  Tensor weight;  // (out_channels, in_channels, kernel_size)
  Tensor bias;    // (out_channels,); undefined with options.bias(false)

 private:
  Conv1dOptions options_;
};
TG_MODULE(Conv1d);

}  // namespace tg::nn
