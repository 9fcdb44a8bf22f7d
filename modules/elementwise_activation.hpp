// The elementwise activation layers beyond modules/activation.hpp's, each over its op in
// ops/elementwise_activations.hpp, with LibTorch's options and printout (without "torch::nn::"):
// ELU SELU CELU SiLU Mish Softplus Hardtanh ReLU6 Hardsigmoid Hardswish LogSigmoid Softsign Tanhshrink
// Softshrink Hardshrink Threshold RReLU. `inplace` options are accepted; the result is always a new tensor.
// Hardsigmoid and Hardswish are PyTorch's (LibTorch 1.13 has only torch::hardsigmoid / hardswish).
#pragma once

#include <ostream>

#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/module_holder.hpp>
#include <tapegrad/ops/activation_options.hpp>

namespace tg::nn {

// A layer with options: forward applies F::op(x, options).
#define TG_ACTIVATION_LAYER(Name, Options)                                 \
  class Name##Impl : public Module {                                       \
   public:                                                                 \
    explicit Name##Impl(const Options& options = {});                      \
    Tensor forward(const Tensor& x);                              \
    void pretty_print(std::ostream& stream) const override;                \
    const Options& options() const { return options_; }                    \
    std::shared_ptr<Module> clone_structure() const override {             \
      return std::make_shared<Name##Impl>(options_);                       \
    }                                                                      \
                                                                           \
   private:                                                                \
    Options options_;                                                      \
  };                                                                       \
  TG_MODULE(Name);
TG_ACTIVATION_LAYER(ELU, ELUOptions)
TG_ACTIVATION_LAYER(SELU, SELUOptions)
TG_ACTIVATION_LAYER(CELU, CELUOptions)
TG_ACTIVATION_LAYER(Softplus, SoftplusOptions)
TG_ACTIVATION_LAYER(Hardtanh, HardtanhOptions)  // throws unless max_val > min_val, as LibTorch's
TG_ACTIVATION_LAYER(ReLU6, ReLU6Options)
TG_ACTIVATION_LAYER(Softshrink, SoftshrinkOptions)
TG_ACTIVATION_LAYER(Hardshrink, HardshrinkOptions)
TG_ACTIVATION_LAYER(RReLU, RReLUOptions)  // random slopes in training, their mean in evaluation
#undef TG_ACTIVATION_LAYER

// Threshold's options have no default (threshold and value are required), so neither has its constructor.
class ThresholdImpl : public Module {
 public:
  explicit ThresholdImpl(const ThresholdOptions& options);
  ThresholdImpl(double threshold, double value);
  Tensor forward(const Tensor& x);
  void pretty_print(std::ostream& stream) const override;
  const ThresholdOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<ThresholdImpl>(options_); }

 private:
  ThresholdOptions options_;
};
TG_MODULE(Threshold);

// A layer without options.
#define TG_ACTIVATION_LAYER(Name)                           \
  class Name##Impl : public Module {                        \
   public:                                                  \
    Tensor forward(const Tensor& x);               \
    void pretty_print(std::ostream& stream) const override; \
    std::shared_ptr<Module> clone_structure() const override { \
      return std::make_shared<Name##Impl>();                \
    }                                                       \
  };                                                        \
  TG_MODULE(Name);
TG_ACTIVATION_LAYER(SiLU)
TG_ACTIVATION_LAYER(Mish)
TG_ACTIVATION_LAYER(Hardsigmoid)
TG_ACTIVATION_LAYER(Hardswish)
TG_ACTIVATION_LAYER(LogSigmoid)
TG_ACTIVATION_LAYER(Softsign)
TG_ACTIVATION_LAYER(Tanhshrink)
#undef TG_ACTIVATION_LAYER

}  // namespace tg::nn
