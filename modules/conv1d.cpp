#include <tapegrad/modules/conv1d.hpp>

#include <ostream>

#include <tapegrad/modules/detail/layer_init.hpp>

namespace tg::nn {

Conv1dImpl::Conv1dImpl(const Conv1dOptions& options) : options_(options) {
  weight = register_parameter(
      "weight", Tensor(Array<float>::from_shape({options.out_channels(), options.in_channels(), options.kernel_size()})));
  if (options.bias()) bias = register_parameter("bias", Tensor(Array<float>::from_shape({options.out_channels()})));
  reset_parameters();
}

Tensor Conv1dImpl::forward(const Tensor& x) {
  return tg::conv1d(x, weight, bias, static_cast<std::int64_t>(options_.stride()),
                    static_cast<std::int64_t>(options_.padding()));
}

void Conv1dImpl::reset_parameters() { detail::reset_layer_parameters(weight, bias); }

// LibTorch's format: padding and bias only when they differ from the defaults.
void Conv1dImpl::pretty_print(std::ostream& stream) const {
  stream << "Conv1d(" << options_.in_channels() << ", " << options_.out_channels() << ", kernel_size=["
         << options_.kernel_size() << "], stride=[" << options_.stride() << "]";
  if (options_.padding() != 0) stream << ", padding=[" << options_.padding() << "]";
  if (!options_.bias()) stream << ", bias=false";
  stream << ")";
}

}  // namespace tg::nn
