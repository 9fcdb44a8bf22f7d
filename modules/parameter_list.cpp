#include <tapegrad/modules/parameter_list.hpp>

namespace tg::nn {

Tensor& ParameterContainer::add(const std::string& key, Tensor param) {
  const bool requires_grad = param.defined() && param.requires_grad();
  return params_.insert(key, register_parameter(key, std::move(param), requires_grad));
}

}  // namespace tg::nn
