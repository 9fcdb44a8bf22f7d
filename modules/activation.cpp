#include <tapegrad/modules/activation.hpp>

#include <ostream>

#include <tapegrad/ops/activations.hpp>
#include <tapegrad/ops/softmax.hpp>

namespace tg::nn {

Tensor ReLUImpl::forward(const Tensor& x) { return tg::relu(x); }

void ReLUImpl::pretty_print(std::ostream& stream) const {
  stream << "ReLU(" << (options_.inplace() ? "inplace=true" : "") << ")";
}

Tensor LeakyReLUImpl::forward(const Tensor& x) {
  return tg::leaky_relu(x, negative_slope());
}

void LeakyReLUImpl::pretty_print(std::ostream& stream) const {
  stream << "LeakyReLU(negative_slope=" << negative_slope() << (options_.inplace() ? ", inplace=true" : "") << ")";
}

}  // namespace tg::nn

namespace tg::nn {

Tensor TanhImpl::forward(const Tensor& x) { return tg::tanh(x); }
void TanhImpl::pretty_print(std::ostream& stream) const { stream << "Tanh()"; }

Tensor SigmoidImpl::forward(const Tensor& x) { return tg::sigmoid(x); }
void SigmoidImpl::pretty_print(std::ostream& stream) const { stream << "Sigmoid()"; }

Tensor GELUImpl::forward(const Tensor& x) { return tg::gelu(x, options_.approximate()); }
void GELUImpl::pretty_print(std::ostream& stream) const { stream << "GELU()"; }

Tensor SoftmaxImpl::forward(const Tensor& x) { return tg::softmax(x, options_.dim()); }
void SoftmaxImpl::pretty_print(std::ostream& stream) const { stream << "Softmax(dim=" << options_.dim() << ")"; }

Tensor LogSoftmaxImpl::forward(const Tensor& x) { return tg::log_softmax(x, options_.dim()); }
void LogSoftmaxImpl::pretty_print(std::ostream& stream) const { stream << "LogSoftmax(dim=" << options_.dim() << ")"; }

Tensor GLUImpl::forward(const Tensor& x) { return tg::glu(x, options_.dim()); }
void GLUImpl::pretty_print(std::ostream& stream) const { stream << "GLU(dim=" << options_.dim() << ")"; }

void IdentityImpl::pretty_print(std::ostream& stream) const { stream << "Identity()"; }

}  // namespace tg::nn
