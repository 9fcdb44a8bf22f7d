// tg::nn::Cloneable<Derived>: what makes a module of your own clonable, as in LibTorch. Build its
// parameters, buffers and submodules in reset() (and call reset() from the constructor); clone()
// then copy-constructs the module (its plain members, such as sizes and options), calls reset() on
// the copy and copies the values across.
//
//   struct NetImpl : tg::nn::Cloneable<NetImpl> {
//     explicit NetImpl(std::size_t hidden) : hidden(hidden) { reset(); }
//     void reset() override {
//       fc1 = register_module("fc1", tg::nn::Linear(784, hidden));
//       fc2 = register_module("fc2", tg::nn::Linear(hidden, 10));
//     }
//     tg::Tensor forward(const tg::Tensor& x) { return fc2(tg::relu(fc1(x))); }
//     std::size_t hidden;
//     tg::nn::Linear fc1{nullptr}, fc2{nullptr};
//   };
//   TG_MODULE(Net);
//   Net net(50);
//   auto target = std::dynamic_pointer_cast<NetImpl>(net->clone());   // new tensors, same values
//
// A copy starts with no parameters, buffers or submodules of its own: only reset() gives it them.
#pragma once

#include <memory>

#include <tapegrad/modules/module.hpp>

namespace tg::nn {

template <class Derived>
class Cloneable : public Module {
 public:
  using Module::Module;
  Cloneable() = default;

  // Registers the module's parameters, buffers and submodules afresh.
  virtual void reset() = 0;

  std::shared_ptr<Module> clone_structure() const override {
    auto copy = std::make_shared<Derived>(static_cast<const Derived&>(*this));
    copy->reset();
    return copy;
  }

 protected:
  Cloneable(const Cloneable& other) : Module(other.name()) {}
  Cloneable& operator=(const Cloneable&) = delete;
};

}  // namespace tg::nn
