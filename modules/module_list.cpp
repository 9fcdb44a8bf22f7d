#include <tapegrad/modules/module_list.hpp>

namespace tg::nn {

std::shared_ptr<Module> ModuleListImpl::clone_structure() const {
  auto copy = std::make_shared<ModuleListImpl>();
  for (const auto& module : modules_) copy->push_back(module->clone_structure());
  return copy;
}

const std::shared_ptr<Module>& ModuleListImpl::operator[](std::size_t i) const {
  if (i >= modules_.size())
    throw Error("ModuleList: index " + std::to_string(i) + " is out of range for a ModuleList of " +
                std::to_string(modules_.size()) + " modules");
  return modules_[i];
}

void ModuleListImpl::throw_wrong_type(std::size_t i) const {
  throw Error("ModuleList: module " + std::to_string(i) + " is a " + modules_[i]->name() +
              ", not the type asked of at<>() or ptr<>()");
}

}  // namespace tg::nn
