#include <tapegrad/modules/group_norm.hpp>

#include <ostream>
#include <string>

#include <tapegrad/core/grad_mode.hpp>
#include <tapegrad/ops/group_norm.hpp>

namespace tg::nn {

GroupNormImpl::GroupNormImpl(const GroupNormOptions& options) : options_(options) {
  const std::int64_t G = options.num_groups(), C = options.num_channels();
  if (G <= 0 || C <= 0 || C % G != 0)
    throw Error("GroupNorm: num_channels must be a positive multiple of num_groups, got num_groups=" +
                std::to_string(G) + " and num_channels=" + std::to_string(C));
  if (options.affine()) {
    weight = register_parameter("weight", Tensor(Array<float>::from_shape({std::size_t(C)})));
    bias = register_parameter("bias", Tensor(Array<float>::from_shape({std::size_t(C)})));
  }
  reset_parameters();
}

void GroupNormImpl::reset_parameters() {
  if (!options_.affine()) return;
  NoGradGuard no_grad;
  weight.fill_(1);
  bias.zero_();
}

Tensor GroupNormImpl::forward(const Tensor& x) {
  return functional::group_norm(
      x, functional::GroupNormFuncOptions(options_.num_groups()).weight(weight).bias(bias).eps(options_.eps()));
}

void GroupNormImpl::pretty_print(std::ostream& stream) const {
  stream << "GroupNorm(" << options_.num_groups() << ", " << options_.num_channels() << ", eps=" << options_.eps()
         << ", affine=" << (options_.affine() ? "true" : "false") << ")";
}

}  // namespace tg::nn
