// tg::nn::ModuleHolder and TG_MODULE: LibTorch's module holders. TG_MODULE(Linear) defines the class
// Linear, a shared handle to a LinearImpl: `->` and `*` reach the module, construction forwards to
// LinearImpl's constructors, `nullptr` gives an empty holder to assign later, and calling it calls
// forward. register_module, Sequential, ModuleList and operator<< accept holders.
//
//   struct NetImpl : tg::nn::Module {
//     NetImpl() : conv1(tg::nn::Conv2dOptions(1, 10, 5)), fc1{320, 50} {
//       register_module("conv1", conv1);
//       register_module("fc1", fc1);
//     }
//     tg::nn::Conv2d conv1;
//     tg::nn::Linear fc1;
//     tg::nn::Linear fc2{nullptr};   // empty until assigned
//   };
//   TG_MODULE(Net);
#pragma once

#include <cstddef>
#include <memory>
#include <ostream>
#include <type_traits>
#include <utility>

#include <tapegrad/modules/module.hpp>

namespace tg::nn {

template <class Impl>
class ModuleHolder {
 public:
  using ContainedType = Impl;

  // A new Impl() (a compile error when Impl needs arguments, as in LibTorch).
  ModuleHolder() : impl_(std::make_shared<Impl>()) {
    static_assert(std::is_default_constructible_v<Impl>,
                  "this module has no default constructor: construct its holder with arguments, or with nullptr");
  }
  // An empty holder.
  ModuleHolder(std::nullptr_t) {}  // NOLINT: implicit, as LibTorch's
  // A new Impl(args...). Not chosen for another holder (that is a copy) nor for a shared_ptr.
  template <class Head, class... Tail,
            class = std::enable_if_t<!std::is_base_of_v<ModuleHolder, std::decay_t<Head>> &&
                                     !std::is_same_v<std::decay_t<Head>, std::nullptr_t> &&
                                     !std::is_convertible_v<Head, std::shared_ptr<Impl>>>>
  explicit ModuleHolder(Head&& head, Tail&&... tail)
      : impl_(std::make_shared<Impl>(std::forward<Head>(head), std::forward<Tail>(tail)...)) {}
  // Holds an existing module.
  ModuleHolder(std::shared_ptr<Impl> module) : impl_(std::move(module)) {}  // NOLINT: implicit, as LibTorch's

  explicit operator bool() const noexcept { return !is_empty(); }
  bool is_empty() const noexcept { return impl_ == nullptr; }

  Impl* operator->() { return get(); }
  const Impl* operator->() const { return get(); }
  Impl& operator*() { return *get(); }
  const Impl& operator*() const { return *get(); }
  // The module; throws on an empty holder.
  Impl* get() {
    check_not_empty();
    return impl_.get();
  }
  const Impl* get() const {
    check_not_empty();
    return impl_.get();
  }
  const std::shared_ptr<Impl>& ptr() const {
    check_not_empty();
    return impl_;
  }

  // Calls the module's forward.
  template <class... Args>
  decltype(auto) operator()(Args&&... args) {
    return get()->forward(std::forward<Args>(args)...);
  }
  // The module's operator[] (ModuleList, ModuleDict, ParameterList), as LibTorch's holder forwards it.
  template <class Arg>
  decltype(auto) operator[](Arg&& arg) {
    return (*get())[std::forward<Arg>(arg)];
  }

 private:
  void check_not_empty() const {
    if (!impl_)
      throw Error("ModuleHolder: accessing an empty holder (constructed with nullptr; assign a module to it first)");
  }

  std::shared_ptr<Impl> impl_;
};

template <class Impl>
std::ostream& operator<<(std::ostream& stream, const ModuleHolder<Impl>& holder) {
  return holder.is_empty() ? stream << "nullptr" : stream << static_cast<const Module&>(*holder);
}

}  // namespace tg::nn

// The holder Name around NameImpl, as LibTorch's TORCH_MODULE.
#define TG_MODULE(Name)                                             \
  class Name : public ::tg::nn::ModuleHolder<Name##Impl> {          \
   public:                                                          \
    using ::tg::nn::ModuleHolder<Name##Impl>::ModuleHolder;         \
  }
