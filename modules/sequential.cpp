#include <tapegrad/modules/sequential.hpp>

namespace tg::nn {

Tensor SequentialImpl::forward(const Tensor& x) {
  if (modules_.empty()) throw Error("Sequential: forward() on an empty Sequential (push_back a module first)");
  Tensor y = modules_.front()->forward(x);
  for (std::size_t i = 1; i < modules_.size(); ++i) y = modules_[i]->forward(y);
  return y;
}

std::shared_ptr<Module> SequentialImpl::clone_structure() const {
  auto copy = std::make_shared<SequentialImpl>();
  for (const auto& module : modules_) copy->push_back(module->clone_structure());
  return copy;
}

const std::shared_ptr<Module>& SequentialImpl::operator[](std::size_t i) const {
  if (i >= modules_.size())
    throw Error("Sequential: index " + std::to_string(i) + " is out of range for a Sequential of " +
                std::to_string(modules_.size()) + " modules");
  return modules_[i];
}

void SequentialImpl::throw_wrong_type(std::size_t i) const {
  throw Error("Sequential: module " + std::to_string(i) + " is a " + modules_[i]->name() +
              ", not the type asked of at<>()");
}

}  // namespace tg::nn
