// tg::nn::Functional: a function as a module, so that Sequential can hold it, as LibTorch's.
//
//   tg::nn::Sequential net(tg::nn::Linear(4, 8), tg::nn::Functional(tg::relu),
//                          tg::nn::Functional(tg::leaky_relu, 0.2),      // extra arguments follow x
//                          tg::nn::Functional([](const tg::Tensor& x) { return x * 2; }));
#pragma once

#include <functional>
#include <ostream>
#include <utility>

#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/module_holder.hpp>
#include <tapegrad/ops/tensor_ops.hpp>

namespace tg::nn {

class FunctionalImpl : public Module {
 public:
  using Function = std::function<Tensor(const Tensor&)>;
  explicit FunctionalImpl(Function function) : function_(std::move(function)) {}

  Tensor forward(const Tensor& x) { return function_(x); }
  void pretty_print(std::ostream& stream) const override { stream << "Functional()"; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<FunctionalImpl>(function_); }

 private:
  Function function_;
};

// Its own holder rather than TG_MODULE's: tg::relu and the like are overloaded (the typed templates
// beside the Tensor form), and only a parameter of function-pointer type picks the Tensor form.
class Functional : public ModuleHolder<FunctionalImpl> {
 public:
  using ModuleHolder<FunctionalImpl>::ModuleHolder;  // a lambda or any callable, nullptr, a shared_ptr
  Functional(Tensor (*function)(const Tensor&))  // NOLINT: implicit, as LibTorch's
      : ModuleHolder(std::make_shared<FunctionalImpl>(function)) {}
  // function(x, argument), as LibTorch's Functional(torch::leaky_relu, 0.2).
  Functional(Tensor (*function)(const Tensor&, const Scalar&), Scalar argument)
      : ModuleHolder(std::make_shared<FunctionalImpl>(
            [function, argument](const Tensor& x) { return function(x, argument); })) {}
};

}  // namespace tg::nn
