// tg::nn::Sequential: modules applied one after the other, each forward(x) feeding the next, as
// LibTorch's. Its children are named "0", "1", ... unless given names, so parameters read
// "0.weight", "2.bias" (or "fc1.weight").
//
//   tg::nn::Sequential mlp(tg::nn::Linear(784, 50), tg::nn::ReLU(), tg::nn::Linear(50, 10));
//   tg::nn::Sequential named({{"fc1", tg::nn::Linear(784, 50)}, {"relu", tg::nn::ReLU()}});
//   mlp->push_back(tg::nn::ReLU());              // or a std::shared_ptr<tg::nn::ReLUImpl>
//   mlp->push_back("out", tg::nn::Linear(10, 10));
//   tg::nn::LinearImpl& first = mlp->at<tg::nn::LinearImpl>(0);   // typed; throws on another type
//   auto first_ptr = mlp->ptr<tg::nn::LinearImpl>(0);              // the same as a shared_ptr
//   for (const tg::nn::AnyModule& m : *mlp) std::cout << m.ptr()->name();
#pragma once

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <tapegrad/modules/any_module.hpp>
#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/module_holder.hpp>
#include <tapegrad/ops/tensor_ops.hpp>

namespace tg::nn {

class SequentialImpl : public Module {
 public:
  using Iterator = std::vector<AnyModule>::iterator;
  using ConstIterator = std::vector<AnyModule>::const_iterator;

  SequentialImpl() : Module("Sequential") {}
  // Modules as shared pointers, holders or AnyModules: Sequential(tg::nn::Linear(784, 50), tg::nn::ReLU()).
  template <class M, class... Ms>
  explicit SequentialImpl(M&& first, Ms&&... rest) : Module("Sequential") {
    push_back(std::forward<M>(first));
    (push_back(std::forward<Ms>(rest)), ...);
  }
  // Named modules: Sequential({{"fc1", tg::nn::Linear(784, 50)}, {"relu", tg::nn::ReLU()}}).
  explicit SequentialImpl(std::initializer_list<NamedAnyModule> named_modules);

  // Appends a module as child "<size()>" (or `name`) and returns it. Its class needs a forward that
  // takes one Tensor and returns one (`Tensor forward(Tensor x)` or `forward(const Tensor& x)`, extra
  // parameters defaulted), which AnyModule records: a static_assert names a module without one.
  template <class M>
  std::shared_ptr<M> push_back(std::shared_ptr<M> module) {
    return push_back(std::to_string(modules_.size()), std::move(module));
  }
  template <class M>
  std::shared_ptr<M> push_back(std::string name, std::shared_ptr<M> module) {
    push_back(std::move(name), AnyModule(module));
    return module;
  }
  // Appends a holder's module; returns the holder.
  template <class Holder, class = typename std::decay_t<Holder>::ContainedType>
  std::decay_t<Holder> push_back(Holder&& holder) {
    push_back(holder.ptr());
    return std::forward<Holder>(holder);
  }
  template <class Holder, class = typename std::decay_t<Holder>::ContainedType>
  std::decay_t<Holder> push_back(std::string name, Holder&& holder) {
    push_back(std::move(name), holder.ptr());
    return std::forward<Holder>(holder);
  }
  void push_back(AnyModule module);
  void push_back(std::string name, AnyModule module);
  // push_back of each element of `container` (modules, holders, AnyModules, or another Sequential's).
  template <class Container>
  void extend(const Container& container) {
    for (const auto& module : container) push_back(module);
  }

  // Chains every module's forward(x); throws on an empty Sequential.
  Tensor forward(const Tensor& x);
  // A Sequential of the modules' own clone_structure(), with the same names.
  std::shared_ptr<Module> clone_structure() const override;

  std::size_t size() const { return modules_.size(); }
  bool is_empty() const { return modules_.empty(); }
  Iterator begin() { return modules_.begin(); }
  Iterator end() { return modules_.end(); }
  ConstIterator begin() const { return modules_.begin(); }
  ConstIterator end() const { return modules_.end(); }
  // The i-th module; throws an Error when i >= size().
  std::shared_ptr<Module> ptr(std::size_t i) const { return element(i).ptr(); }
  std::shared_ptr<Module> operator[](std::size_t i) const { return ptr(i); }
  // The i-th module as its class T (LinearImpl, not the holder Linear); throws an Error on another type.
  template <class T>
  std::shared_ptr<T> ptr(std::size_t i) const {
    return std::shared_ptr<T>(ptr(i), &at<T>(i));
  }
  template <class T>
  T& at(std::size_t i) const {
    T* typed = dynamic_cast<T*>(ptr(i).get());
    if (!typed) throw_wrong_type(i);
    return *typed;
  }

 private:
  const AnyModule& element(std::size_t i) const;
  [[noreturn]] void throw_wrong_type(std::size_t i) const;

  std::vector<AnyModule> modules_;
};

// The holder, with LibTorch's constructor from a braced list of named modules.
class Sequential : public ModuleHolder<SequentialImpl> {
 public:
  using ModuleHolder<SequentialImpl>::ModuleHolder;
  Sequential() : ModuleHolder() {}
  Sequential(std::initializer_list<NamedAnyModule> named_modules)  // NOLINT: implicit, as LibTorch's
      : ModuleHolder(std::make_shared<SequentialImpl>(named_modules)) {}
};

}  // namespace tg::nn
