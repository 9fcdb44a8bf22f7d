// tg::nn::Linear: y = x·Wᵀ + b, with LibTorch's layout (weight (out, in)) and default initialisation.
#pragma once

#include <cstddef>

#include <tapegrad/modules/module.hpp>

namespace tg::nn {

class Linear : public Module {
 public:
  Linear(std::size_t in_features, std::size_t out_features, bool bias = true);

  // x (*, in_features) -> (*, out_features).
  Variable<float> forward(const Variable<float>& x) override;
  // Draws fresh weights: U(-1/sqrt(in_features), 1/sqrt(in_features)) for weight and bias, as LibTorch.
  void reset_parameters();
  void pretty_print(std::ostream& stream) const override;

  std::size_t in_features() const { return in_features_; }
  std::size_t out_features() const { return out_features_; }

  Variable<float> weight;  // (out_features, in_features)
  Variable<float> bias;    // (out_features,); undefined when constructed with bias = false

 private:
  std::size_t in_features_, out_features_;
};

}  // namespace tg::nn
