// tg::nn::Sequential: modules applied one after the other, each forward(x) feeding the next.
// Its children are named "0", "1", ..., so parameters read "0.weight", "2.bias", as in LibTorch.
//
//   tg::nn::Sequential mlp(tg::nn::Linear(784, 50), tg::nn::ReLU(), tg::nn::Linear(50, 10));
//   mlp->push_back(tg::nn::ReLU());             // or a std::shared_ptr<tg::nn::ReLUImpl>
//   auto first = mlp->at<tg::nn::LinearImpl>(0);   // typed access; (*mlp)[0] gives the Module
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/module_holder.hpp>
#include <tapegrad/ops/tensor_ops.hpp>

namespace tg::nn {

class SequentialImpl : public Module {
 public:
  SequentialImpl() : Module("Sequential") {}
  // Modules as shared pointers or holders: Sequential(tg::nn::Linear(784, 50), tg::nn::ReLU()).
  template <class M, class... Ms>
  explicit SequentialImpl(M&& first, Ms&&... rest) : Module("Sequential") {
    push_back(std::forward<M>(first));
    (push_back(std::forward<Ms>(rest)), ...);
  }

  // Appends a module as child "<size()>" and returns it.
  template <class M>
  std::shared_ptr<M> push_back(std::shared_ptr<M> module) {
    register_module(std::to_string(modules_.size()), module);
    modules_.push_back(module);
    return module;
  }
  // Appends a holder's module; returns the holder.
  template <class Holder, class = typename std::decay_t<Holder>::ContainedType>
  std::decay_t<Holder> push_back(Holder&& holder) {
    push_back(holder.ptr());
    return std::forward<Holder>(holder);
  }

  // Chains every module's forward(x); throws on an empty Sequential.
  Tensor forward(const Tensor& x) override;
  // A Sequential of the modules' own clone_structure().
  std::shared_ptr<Module> clone_structure() const override;

  std::size_t size() const { return modules_.size(); }
  bool is_empty() const { return modules_.empty(); }
  // The i-th module; throws an Error when i >= size().
  const std::shared_ptr<Module>& operator[](std::size_t i) const;
  // The i-th module as its concrete type; throws an Error when it is not an M.
  template <class M>
  std::shared_ptr<M> at(std::size_t i) const {
    auto typed = std::dynamic_pointer_cast<M>((*this)[i]);
    if (!typed) throw_wrong_type(i);
    return typed;
  }

 private:
  [[noreturn]] void throw_wrong_type(std::size_t i) const;

  std::vector<std::shared_ptr<Module>> modules_;
};
TG_MODULE(Sequential);

}  // namespace tg::nn
