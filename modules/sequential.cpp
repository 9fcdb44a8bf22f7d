#include <tapegrad/modules/sequential.hpp>

#include <utility>

namespace tg::nn {

SequentialImpl::SequentialImpl(std::initializer_list<NamedAnyModule> named_modules) : Module("Sequential") {
  for (const NamedAnyModule& named : named_modules) push_back(named.name(), named.module());
}

void SequentialImpl::push_back(AnyModule module) {
  push_back(std::to_string(modules_.size()), std::move(module));
}

void SequentialImpl::push_back(std::string name, AnyModule module) {
  if (module.is_empty()) throw Error("Sequential: push_back of an empty AnyModule (as \"" + name + "\")");
  register_module(name, module.ptr());
  modules_.push_back(std::move(module));
}

Tensor SequentialImpl::forward(const Tensor& x) {
  if (modules_.empty()) throw Error("Sequential: forward() on an empty Sequential (push_back a module first)");
  Tensor y = modules_.front().forward(x);
  for (std::size_t i = 1; i < modules_.size(); ++i) y = modules_[i].forward(y);
  return y;
}

std::shared_ptr<Module> SequentialImpl::clone_structure() const {
  auto copy = std::make_shared<SequentialImpl>();
  const auto& names = named_children().keys();
  for (std::size_t i = 0; i < modules_.size(); ++i) copy->push_back(names[i], modules_[i].clone_structure());
  return copy;
}

const AnyModule& SequentialImpl::element(std::size_t i) const {
  if (i >= modules_.size())
    throw Error("Sequential: index " + std::to_string(i) + " is out of range for a Sequential of " +
                std::to_string(modules_.size()) + " modules");
  return modules_[i];
}

void SequentialImpl::throw_wrong_type(std::size_t i) const {
  throw Error("Sequential: module " + std::to_string(i) + " is a " + modules_[i].ptr()->name() +
              ", not the type asked of at<>() or ptr<>()");
}

}  // namespace tg::nn
