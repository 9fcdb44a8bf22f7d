#include <tapegrad/modules/layer_norm.hpp>

#include <ostream>

#include <tapegrad/core/grad_mode.hpp>

namespace tg::nn {

LayerNormImpl::LayerNormImpl(const LayerNormOptions& options) : options_(options) {
  if (options.normalized_shape().empty()) throw Error("LayerNorm: normalized_shape must have at least one dim");
  for (std::int64_t s : options.normalized_shape()) {
    if (s <= 0) throw Error("LayerNorm: normalized_shape must be positive, got " + shape_str(options.normalized_shape()));
    shape_.push_back(std::size_t(s));
  }
  if (options.elementwise_affine()) {
    weight = register_parameter("weight", Tensor(Array<float>::from_shape(shape_)));
    bias = register_parameter("bias", Tensor(Array<float>::from_shape(shape_)));
  }
  reset_parameters();
}

void LayerNormImpl::reset_parameters() {
  if (!options_.elementwise_affine()) return;
  NoGradGuard no_grad;
  weight.fill_(1);
  bias.zero_();
}

Tensor LayerNormImpl::forward(const Tensor& x) {
  return tg::layer_norm(x, shape_, weight, bias, options_.eps());
}

void LayerNormImpl::pretty_print(std::ostream& stream) const {
  stream << "LayerNorm([";
  for (std::size_t i = 0; i < shape_.size(); ++i) stream << (i ? ", " : "") << shape_[i];
  stream << "], eps=" << options_.eps() << ", elementwise_affine=" << (options_.elementwise_affine() ? "true" : "false")
         << ")";
}

}  // namespace tg::nn
