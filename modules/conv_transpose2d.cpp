#include <tapegrad/modules/conv_transpose2d.hpp>

#include <ostream>

#include <tapegrad/modules/detail/layer_init.hpp>
#include <tapegrad/ops/conv_transpose2d.hpp>

namespace tg::nn {

ConvTranspose2dImpl::ConvTranspose2dImpl(const ConvTranspose2dOptions& options) : options_(options) {
  if (options.groups() != 1 || !(options.dilation() == Size2(1)))
    throw Error("ConvTranspose2d: only groups 1 and dilation 1 are supported, got groups " +
                std::to_string(options.groups()) + " and dilation " + shape_str(options.dilation().value));
  const Size2 k = options.kernel_size();
  weight = register_parameter("weight", Tensor(Array<float>::from_shape({options.in_channels(), options.out_channels(), k[0], k[1]})));
  if (options.bias()) bias = register_parameter("bias", Tensor(Array<float>::from_shape({options.out_channels()})));
  reset_parameters();
}

Tensor ConvTranspose2dImpl::forward(const Tensor& x) {
  return tg::conv_transpose2d(x, weight, bias, options_.stride(), options_.padding(), options_.output_padding());
}

void ConvTranspose2dImpl::reset_parameters() { detail::reset_layer_parameters(weight, bias); }

// LibTorch's format: padding, output_padding and bias only when they differ from the defaults.
void ConvTranspose2dImpl::pretty_print(std::ostream& stream) const {
  stream << "ConvTranspose2d(" << options_.in_channels() << ", " << options_.out_channels()
         << ", kernel_size=" << options_.kernel_size() << ", stride=" << options_.stride();
  if (!(options_.padding() == Size2(0))) stream << ", padding=" << options_.padding();
  if (!(options_.output_padding() == Size2(0))) stream << ", output_padding=" << options_.output_padding();
  if (!options_.bias()) stream << ", bias=false";
  stream << ")";
}

}  // namespace tg::nn
