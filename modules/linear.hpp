// tg::nn::Linear: y = x·Wᵀ + b, with LibTorch's layout (weight (out, in)) and default initialisation.
#pragma once

#include <cstddef>

#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/module_holder.hpp>
#include <tapegrad/ops/tensor_ops.hpp>

namespace tg::nn {

class LinearImpl : public Module {
 public:
  LinearImpl(std::size_t in_features, std::size_t out_features, bool bias = true);

  // x (*, in_features) -> (*, out_features).
  Tensor forward(const Tensor& x);
  // Draws fresh weights: U(-1/sqrt(in_features), 1/sqrt(in_features)) for weight and bias, as LibTorch.
  void reset_parameters();
  void pretty_print(std::ostream& stream) const override;
  std::shared_ptr<Module> clone_structure() const override {
    return std::make_shared<LinearImpl>(in_features_, out_features_, bias.defined());
  }

  std::size_t in_features() const { return in_features_; }
  std::size_t out_features() const { return out_features_; }

  Tensor weight;  // (out_features, in_features)
  Tensor bias;    // (out_features,); undefined when constructed with bias = false

 private:
  std::size_t in_features_, out_features_;
};
TG_MODULE(Linear);

}  // namespace tg::nn
