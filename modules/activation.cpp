#include <tapegrad/modules/activation.hpp>

#include <ostream>

#include <tapegrad/ops/activations.hpp>
#include <tapegrad/ops/softmax.hpp>

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

namespace tg::nn {

Variable<float> Tanh::forward(const Variable<float>& x) { return tg::tanh(x); }
void Tanh::pretty_print(std::ostream& stream) const { stream << "Tanh()"; }

Variable<float> Sigmoid::forward(const Variable<float>& x) { return tg::sigmoid(x); }
void Sigmoid::pretty_print(std::ostream& stream) const { stream << "Sigmoid()"; }

Variable<float> GELU::forward(const Variable<float>& x) { return tg::gelu(x, options_.approximate()); }
void GELU::pretty_print(std::ostream& stream) const { stream << "GELU()"; }

Variable<float> Softmax::forward(const Variable<float>& x) { return tg::softmax(x, options_.dim()); }
void Softmax::pretty_print(std::ostream& stream) const { stream << "Softmax(dim=" << options_.dim() << ")"; }

Variable<float> LogSoftmax::forward(const Variable<float>& x) { return tg::log_softmax(x, options_.dim()); }
void LogSoftmax::pretty_print(std::ostream& stream) const { stream << "LogSoftmax(dim=" << options_.dim() << ")"; }

void Identity::pretty_print(std::ostream& stream) const { stream << "Identity()"; }

}  // namespace tg::nn
