// Activation layers, for Sequential: ReLU and LeakyReLU, wrapping tg::relu and tg::leaky_relu.
#pragma once

#include <tapegrad/modules/module.hpp>

namespace tg::nn {

// max(x, 0), elementwise.
class ReLU : public Module {
 public:
  Variable<float> forward(const Variable<float>& x) override;
  void pretty_print(std::ostream& stream) const override;
};

// x for x > 0, negative_slope·x otherwise.
class LeakyReLU : public Module {
 public:
  explicit LeakyReLU(double negative_slope = 0.01) : negative_slope_(negative_slope) {}
  Variable<float> forward(const Variable<float>& x) override;
  void pretty_print(std::ostream& stream) const override;

  double negative_slope() const { return negative_slope_; }

 private:
  double negative_slope_;
};

}  // namespace tg::nn
