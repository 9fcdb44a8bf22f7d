#include <tapegrad/modules/activation.hpp>

#include <ostream>

#include <tapegrad/ops/activations.hpp>

namespace tg::nn {

Variable<float> ReLU::forward(const Variable<float>& x) { return tg::relu(x); }

void ReLU::pretty_print(std::ostream& stream) const { stream << "ReLU()"; }

Variable<float> LeakyReLU::forward(const Variable<float>& x) {
  return tg::leaky_relu(x, static_cast<float>(negative_slope_));
}

void LeakyReLU::pretty_print(std::ostream& stream) const {
  stream << "LeakyReLU(negative_slope=" << negative_slope_ << ")";
}

}  // namespace tg::nn
