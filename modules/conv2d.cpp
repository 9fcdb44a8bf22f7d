#include <tapegrad/modules/conv2d.hpp>

#include <ostream>

#include <tapegrad/modules/detail/layer_init.hpp>
#include <tapegrad/ops/conv2d.hpp>

namespace tg::nn {

Conv2dImpl::Conv2dImpl(const Conv2dOptions& options) : options_(options) {
  const Size2 k = options.kernel_size();
  weight = register_parameter("weight", Tensor(Array<float>::from_shape({options.out_channels(), options.in_channels(), k[0], k[1]})));
  if (options.bias()) bias = register_parameter("bias", Tensor(Array<float>::from_shape({options.out_channels()})));
  reset_parameters();
}

Tensor Conv2dImpl::forward(const Tensor& x) {
  return tg::conv2d(x, weight, bias, options_.stride(), options_.padding());
}

void Conv2dImpl::reset_parameters() { detail::reset_layer_parameters(weight, bias); }

// LibTorch's format: padding and bias only when they differ from the defaults.
void Conv2dImpl::pretty_print(std::ostream& stream) const {
  stream << "Conv2d(" << options_.in_channels() << ", " << options_.out_channels()
         << ", kernel_size=" << options_.kernel_size() << ", stride=" << options_.stride();
  if (!(options_.padding() == Size2(0))) stream << ", padding=" << options_.padding();
  if (!options_.bias()) stream << ", bias=false";
  stream << ")";
}

}  // namespace tg::nn
