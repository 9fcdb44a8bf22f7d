#include <tapegrad/modules/prelu.hpp>

#include <string>

#include <tapegrad/core/grad_mode.hpp>

namespace tg::nn {

PReLUImpl::PReLUImpl(const PReLUOptions& options) : options_(options) {
  if (options.num_parameters() < 1)
    throw Error("PReLU: num_parameters must be at least 1, got " + std::to_string(options.num_parameters()));
  weight = register_parameter("weight", Tensor(Array<float>::from_shape({std::size_t(options.num_parameters())})));
  reset_parameters();
}

void PReLUImpl::reset_parameters() {
  NoGradGuard no_grad;
  weight.fill_(options_.init());
}

Tensor PReLUImpl::forward(const Tensor& x) { return tg::prelu(x, weight); }

void PReLUImpl::pretty_print(std::ostream& stream) const {
  stream << "PReLU(num_parameters=" << options_.num_parameters() << ")";
}

}  // namespace tg::nn
