#include <tapegrad/modules/linear.hpp>

#include <ostream>

#include <tapegrad/modules/detail/layer_init.hpp>
#include <tapegrad/ops/linear.hpp>

namespace tg::nn {

Linear::Linear(std::size_t in_features, std::size_t out_features, bool bias)
    : in_features_(in_features), out_features_(out_features) {
  weight = register_parameter("weight", Array<float>::from_shape({out_features, in_features}));
  if (bias) this->bias = register_parameter("bias", Array<float>::from_shape({out_features}));
  reset_parameters();
}

Variable<float> Linear::forward(const Variable<float>& x) { return tg::linear(x, weight, bias); }

void Linear::reset_parameters() { detail::reset_layer_parameters(weight, bias); }

void Linear::pretty_print(std::ostream& stream) const {
  stream << "Linear(in_features=" << in_features_ << ", out_features=" << out_features_
         << ", bias=" << (bias.defined() ? "true" : "false") << ")";
}

}  // namespace tg::nn
