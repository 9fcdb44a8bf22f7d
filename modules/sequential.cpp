#include <tapegrad/modules/sequential.hpp>

#include <typeinfo>
#include <utility>

namespace tg::nn {

Tensor SequentialImpl::forward(const Tensor& x) {
  if (modules_.empty()) throw Error("Sequential: forward() on an empty Sequential (push_back a module first)");
  Tensor y = forwards_.front()(*modules_.front(), x);
  for (std::size_t i = 1; i < modules_.size(); ++i) y = forwards_[i](*modules_[i], y);
  return y;
}

void SequentialImpl::append(std::shared_ptr<Module> module, Forward forward) {
  register_module(std::to_string(modules_.size()), module);
  modules_.push_back(std::move(module));
  forwards_.push_back(forward);
}

// Each module's structure has the module's own class, so the recorded forward calls it as well.
std::shared_ptr<Module> SequentialImpl::clone_structure() const {
  auto copy = std::make_shared<SequentialImpl>();
  for (std::size_t i = 0; i < modules_.size(); ++i) {
    std::shared_ptr<Module> structure = modules_[i]->clone_structure();
    if (typeid(*structure) != typeid(*modules_[i]))
      throw Error("Sequential: clone_structure() of module " + std::to_string(i) + " (" + modules_[i]->name() +
                  ") returned a " + structure->name() + ", not a module of its own class");
    copy->append(std::move(structure), forwards_[i]);
  }
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
