#include <tapegrad/modules/parameter_list.hpp>

namespace tg::nn {

Tensor& ParameterContainer::add(const std::string& key, Tensor param) {
  const bool requires_grad = param.defined() && param.requires_grad();
  return params_.insert(key, register_parameter(key, std::move(param), requires_grad));
}

namespace {

// A new tensor with the parameter's values and requires_grad.
Tensor parameter_list_copy(const Tensor& param) {
  return param.defined() ? param.detach().clone().requires_grad_(param.requires_grad()) : Tensor();
}

}  // namespace

std::shared_ptr<Module> ParameterListImpl::clone_structure() const {
  auto copy = std::make_shared<ParameterListImpl>();
  for (const auto& item : params_) copy->append(parameter_list_copy(item.value()));
  return copy;
}

std::shared_ptr<Module> ParameterDictImpl::clone_structure() const {
  auto copy = std::make_shared<ParameterDictImpl>();
  for (const auto& item : params_) copy->insert(item.key(), parameter_list_copy(item.value()));
  return copy;
}

}  // namespace tg::nn
