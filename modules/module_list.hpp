// tg::nn::ModuleList: an indexed list of child modules, named "0", "1", ..., that a parent's forward
// uses as it likes (unlike Sequential, it has no forward of its own), as LibTorch's.
//
//   auto blocks = register_module("blocks", tg::nn::ModuleList());
//   for (int i = 0; i < 3; ++i) blocks->push_back(tg::nn::Linear(64, 64));
//   for (const auto& block : *blocks) x = tg::relu(block->as<tg::nn::Linear>()->forward(x));
//   x = blocks->at<tg::nn::LinearImpl>(0).forward(x);   // typed access that throws on another type
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/module_holder.hpp>
#include <tapegrad/ops/tensor_ops.hpp>

namespace tg::nn {

class ModuleListImpl : public Module {
 public:
  using Iterator = std::vector<std::shared_ptr<Module>>::const_iterator;

  ModuleListImpl() : Module("ModuleList") {}
  // Modules as shared pointers or holders: ModuleList(tg::nn::Linear(784, 50), tg::nn::ReLU()).
  template <class M, class... Ms>
  explicit ModuleListImpl(M&& first, Ms&&... rest) : Module("ModuleList") {
    push_back(std::forward<M>(first));
    (push_back(std::forward<Ms>(rest)), ...);
  }

  // Appends a module as child "<size()>".
  template <class M>
  void push_back(std::shared_ptr<M> module) {
    register_module(std::to_string(modules_.size()), module);
    modules_.push_back(std::move(module));
  }
  template <class Holder, class = typename std::decay_t<Holder>::ContainedType>
  void push_back(const Holder& holder) {
    push_back(holder.ptr());
  }

  std::size_t size() const { return modules_.size(); }
  bool is_empty() const { return modules_.empty(); }
  Iterator begin() const { return modules_.begin(); }
  Iterator end() const { return modules_.end(); }
  // The i-th module; throws an Error when i >= size().
  const std::shared_ptr<Module>& operator[](std::size_t i) const;
  const std::shared_ptr<Module>& ptr(std::size_t i) const { return (*this)[i]; }
  // A ModuleList of the modules' own clone_structure().
  std::shared_ptr<Module> clone_structure() const override;
  // The i-th module as its class T (LinearImpl, not the holder Linear), as LibTorch's; throws an
  // Error when it is another.
  template <class T>
  T& at(std::size_t i) const {
    T* typed = dynamic_cast<T*>((*this)[i].get());
    if (!typed) throw_wrong_type(i);
    return *typed;
  }
  template <class T>
  std::shared_ptr<T> ptr(std::size_t i) const {
    return std::shared_ptr<T>((*this)[i], &at<T>(i));
  }

 private:
  [[noreturn]] void throw_wrong_type(std::size_t i) const;

  std::vector<std::shared_ptr<Module>> modules_;
};
TG_MODULE(ModuleList);

}  // namespace tg::nn
