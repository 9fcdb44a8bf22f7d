// tg::nn::AnyModule: any module with a one-tensor forward behind one type, as LibTorch's AnyModule
// (which also takes other signatures); what Sequential holds. NamedAnyModule pairs one with a name,
// for Sequential's named list.
//
//   tg::nn::AnyModule any(tg::nn::Linear(784, 50));
//   tg::Tensor y = any.forward(x);                         // LinearImpl::forward
//   tg::nn::LinearImpl& linear = any.get<tg::nn::LinearImpl>();
//   tg::nn::Sequential net({{"fc1", tg::nn::Linear(784, 50)}, {"relu", tg::nn::ReLU()}});
#pragma once

#include <memory>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <utility>

#include <tapegrad/core/tensor.hpp>
#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/module_holder.hpp>

namespace tg::nn {

namespace detail {
// Whether M has a forward that takes one Tensor and returns one (extra parameters defaulted).
template <class M, class = void>
struct HasTensorForward : std::false_type {};
template <class M>
struct HasTensorForward<
    M, std::enable_if_t<std::is_convertible_v<decltype(std::declval<M&>().forward(std::declval<const Tensor&>())), Tensor>>>
    : std::true_type {};
}  // namespace detail

class AnyModule {
 public:
  // An empty AnyModule: forward() and get() throw.
  AnyModule() = default;
  // The module, with its own forward recorded here (a static_assert names a module without one).
  template <class M>
  explicit AnyModule(std::shared_ptr<M> module) : module_(std::move(module)), forward_(forward_of<M>()) {
    if (!module_) throw Error("AnyModule: the module is null");
  }
  // A holder's module.
  template <class Impl>
  explicit AnyModule(const ModuleHolder<Impl>& holder) : AnyModule(holder.ptr()) {}

  // The module's own forward(x).
  Tensor forward(const Tensor& x) {
    check_not_empty("forward");
    return forward_(*module_, x);
  }
  bool is_empty() const noexcept { return module_ == nullptr; }
  std::shared_ptr<Module> ptr() const {
    check_not_empty("ptr");
    return module_;
  }
  // The module as a T (a module class); an Error naming the module's class when it is not one.
  template <class T>
  std::shared_ptr<T> ptr() const {
    static_assert(std::is_base_of_v<Module, T>, "AnyModule::ptr<T>: T must be a module class (LinearImpl)");
    return std::shared_ptr<T>(module_, &get<T>());
  }
  template <class T>
  T& get() const {
    static_assert(std::is_base_of_v<Module, T>, "AnyModule::get<T>: T must be a module class (LinearImpl)");
    check_not_empty("get");
    T* typed = dynamic_cast<T*>(module_.get());
    if (!typed) throw_wrong_type();
    return *typed;
  }
  const std::type_info& type_info() const {
    check_not_empty("type_info");
    const Module& module = *module_;
    return typeid(module);
  }
  // A fresh module of the same class and structure (Module::clone_structure), with the same forward.
  AnyModule clone_structure() const;

 private:
  using Forward = Tensor (*)(Module& module, const Tensor& x);
  template <class M>
  static Tensor call_forward(Module& module, const Tensor& x) {
    return static_cast<M&>(module).forward(x);
  }
  template <class M>
  static Forward forward_of() {
    static_assert(std::is_base_of_v<Module, M>, "AnyModule: M must derive from tg::nn::Module");
    static_assert(detail::HasTensorForward<M>::value,
                  "AnyModule: the module has no forward that takes one tg::Tensor and returns a tg::Tensor, so a "
                  "Sequential cannot chain it (call it from a forward of your own instead)");
    if constexpr (detail::HasTensorForward<M>::value) return &call_forward<M>;
    else return nullptr;
  }
  AnyModule(std::shared_ptr<Module> module, Forward forward) : module_(std::move(module)), forward_(forward) {}
  void check_not_empty(const char* what) const;
  [[noreturn]] void throw_wrong_type() const;

  std::shared_ptr<Module> module_;
  Forward forward_ = nullptr;
};

class NamedAnyModule {
 public:
  template <class M>
  NamedAnyModule(std::string name, std::shared_ptr<M> module)  // NOLINT: implicit, for braced lists
      : name_(std::move(name)), module_(std::move(module)) {}
  template <class Impl>
  NamedAnyModule(std::string name, const ModuleHolder<Impl>& holder)  // NOLINT: implicit, for braced lists
      : name_(std::move(name)), module_(holder) {}
  NamedAnyModule(std::string name, AnyModule module) : name_(std::move(name)), module_(std::move(module)) {}

  const std::string& name() const { return name_; }
  const AnyModule& module() const { return module_; }

 private:
  std::string name_;
  AnyModule module_;
};

}  // namespace tg::nn
