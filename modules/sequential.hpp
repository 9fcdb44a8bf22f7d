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
#include <type_traits>
#include <utility>
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

  // Appends a module as child "<size()>" and returns it. M needs a forward that takes one Tensor
  // and returns one (`Tensor forward(Tensor x)` or `forward(const Tensor& x)`, extra parameters
  // defaulted): Sequential records it here, as LibTorch's AnyModule does, so M need not override
  // anything.
  template <class M>
  std::shared_ptr<M> push_back(std::shared_ptr<M> module) {
    static_assert(std::is_base_of_v<Module, M>, "Sequential::push_back: M must derive from tg::nn::Module");
    if constexpr (HasTensorForward<M>::value)
      append(module, &call_forward<M>);
    else
      static_assert(HasTensorForward<M>::value,
                    "Sequential::push_back: the module has no forward that takes one tg::Tensor and returns a "
                    "tg::Tensor, so a Sequential cannot chain it (call it from a forward of your own instead)");
    return module;
  }
  // Appends a holder's module; returns the holder.
  template <class Holder, class = typename std::decay_t<Holder>::ContainedType>
  std::decay_t<Holder> push_back(Holder&& holder) {
    push_back(holder.ptr());
    return std::forward<Holder>(holder);
  }

  // Chains every module's forward(x); throws on an empty Sequential.
  Tensor forward(const Tensor& x);
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
  using Forward = Tensor (*)(Module& module, const Tensor& x);
  template <class M, class = void>
  struct HasTensorForward : std::false_type {};
  template <class M>
  struct HasTensorForward<
      M, std::enable_if_t<std::is_convertible_v<decltype(std::declval<M&>().forward(std::declval<const Tensor&>())),
                                                Tensor>>> : std::true_type {};
  template <class M>
  static Tensor call_forward(Module& module, const Tensor& x) {
    return static_cast<M&>(module).forward(x);
  }
  void append(std::shared_ptr<Module> module, Forward forward);
  [[noreturn]] void throw_wrong_type(std::size_t i) const;

  std::vector<std::shared_ptr<Module>> modules_;
  std::vector<Forward> forwards_;  // forwards_[i] calls modules_[i]'s own forward
};
TG_MODULE(Sequential);

}  // namespace tg::nn
