#include <tapegrad/modules/linear.hpp>

#include <ostream>

#include <tapegrad/modules/detail/layer_init.hpp>
#include <tapegrad/ops/linear.hpp>

namespace tg::nn {

LinearImpl::LinearImpl(std::size_t in_features, std::size_t out_features, bool bias)
    : in_features_(in_features), out_features_(out_features) {
  weight = register_parameter("weight", Tensor(Array<float>::from_shape({out_features, in_features})));
  if (bias) this->bias = register_parameter("bias", Tensor(Array<float>::from_shape({out_features})));
  reset_parameters();
}

Tensor LinearImpl::forward(const Tensor& x) { return tg::linear(x, weight, bias); }

void LinearImpl::reset_parameters() { detail::reset_layer_parameters(weight, bias); }

void LinearImpl::pretty_print(std::ostream& stream) const {
  stream << "Linear(in_features=" << in_features_ << ", out_features=" << out_features_
         << ", bias=" << (bias.defined() ? "true" : "false") << ")";
}

}  // namespace tg::nn
