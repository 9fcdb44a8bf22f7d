// tg::nn::Sequential: modules applied one after the other, each forward(x) feeding the next.
// Its children are named "0", "1", ..., so parameters read "0.weight", "2.bias", as in LibTorch.
//
//   auto mlp = std::make_shared<tg::nn::Sequential>(std::make_shared<tg::nn::Linear>(784, 50),
//                                                   std::make_shared<tg::nn::ReLU>(),
//                                                   std::make_shared<tg::nn::Linear>(50, 10));
//   mlp->push_back(std::make_shared<tg::nn::ReLU>());
//   auto first = mlp->at<tg::nn::Linear>(0);   // typed access; (*mlp)[0] gives the Module
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
  SequentialImpl() = default;
  template <class M, class... Ms>
  explicit SequentialImpl(std::shared_ptr<M> first, std::shared_ptr<Ms>... rest) {
    push_back(std::move(first));
    (push_back(std::move(rest)), ...);
  }

  // Appends a module as child "<size()>" and returns it.
  template <class M>
  std::shared_ptr<M> push_back(std::shared_ptr<M> module) {
    register_module(std::to_string(modules_.size()), module);
    modules_.push_back(module);
    return module;
  }

  // Chains every module's forward(x); throws on an empty Sequential.
  Tensor forward(const Tensor& x) override;

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
