#include <tapegrad/modules/layer_norm.hpp>

#include <ostream>

#include <tapegrad/ops/layer_norm.hpp>

namespace tg::nn {

LayerNorm::LayerNorm(const LayerNormOptions& options) : options_(options) {
  if (options.normalized_shape().empty()) throw Error("LayerNorm: normalized_shape must have at least one dim");
  for (std::int64_t s : options.normalized_shape()) {
    if (s <= 0) throw Error("LayerNorm: normalized_shape must be positive, got " + shape_str(options.normalized_shape()));
    shape_.push_back(std::size_t(s));
  }
  if (options.elementwise_affine()) {
    weight = register_parameter("weight", Array<float>::from_shape(shape_));
    bias = register_parameter("bias", Array<float>::from_shape(shape_));
  }
  reset_parameters();
}

void LayerNorm::reset_parameters() {
  if (!options_.elementwise_affine()) return;
  weight.value().fill(1.f);
  bias.value().fill(0.f);
}

Variable<float> LayerNorm::forward(const Variable<float>& x) {
  return tg::layer_norm(x, shape_, weight, bias, options_.eps());
}

void LayerNorm::pretty_print(std::ostream& stream) const {
  stream << "LayerNorm([";
  for (std::size_t i = 0; i < shape_.size(); ++i) stream << (i ? ", " : "") << shape_[i];
  stream << "], eps=" << options_.eps() << ", elementwise_affine=" << (options_.elementwise_affine() ? "true" : "false")
         << ")";
}

}  // namespace tg::nn
