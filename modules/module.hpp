// tg::nn::Module: the base of every layer and model, as in LibTorch. A module owns named parameters
// and buffers (tg::Tensor, Float or Double) and child modules, in registration order; it finds them all
// by dotted name ("features.0.weight"), switches train/eval mode recursively, converts every tensor
// with to(tg::kDouble) and prints itself as a tree.
//
//   struct NetImpl : tg::nn::Module {
//     NetImpl() : fc1(784, 50), fc2(50, 10) {
//       register_module("fc1", fc1);
//       register_module("fc2", fc2);
//     }
//     tg::Tensor forward(tg::Tensor x) { return fc2(tg::relu(fc1(x))); }
//     tg::nn::Linear fc1, fc2;   // holders (modules/module_holder.hpp)
//   };
//   TG_MODULE(Net);
//   Net net;
//   std::cout << net;   // NetImpl(\n  (fc1): Linear(in_features=784, out_features=50, bias=true)\n ...)
//   net->to(tg::kDouble);   // every parameter and buffer, seen through fc1->weight too
//
// Modules live behind std::shared_ptr (the one way; a holder is one): a parent holds its children
// through it, and copying a module is disabled because a copy would silently share the original's
// parameters. clone() makes a deep copy instead (modules/cloneable.hpp for modules of your own).
#pragma once

#include <cstddef>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <tapegrad/core/ordered_dict.hpp>
#include <tapegrad/core/tensor.hpp>

namespace tg::nn {

namespace detail {
// The module class behind M: M itself, or a holder's ContainedType.
template <class M, class = void>
struct ModuleClass {
  using type = M;
};
template <class M>
struct ModuleClass<M, std::void_t<typename M::ContainedType>> {
  using type = typename M::ContainedType;
};
}  // namespace detail

class Module : public std::enable_shared_from_this<Module> {
 public:
  template <class V>
  using Named = OrderedDict<std::string, V>;

  // The name printed for this module; by default its class name without namespaces ("Net").
  Module() = default;
  explicit Module(std::string name) : name_(std::move(name)) {}
  virtual ~Module() = default;
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  std::string name() const;

  // Module declares no forward, as LibTorch's: each module has its own, of any signature
  // (`Tensor forward(Tensor x)`, a loss's forward(input, target)), called directly or through its
  // holder. Sequential records each element's one-tensor forward when it is pushed back.

  // This module as an M (a module class, or a holder such as Linear for LinearImpl), or nullptr
  // when it is not one, as LibTorch's: list[0]->as<tg::nn::Linear>()->forward(x).
  template <class M>
  auto* as() noexcept {
    return dynamic_cast<typename detail::ModuleClass<M>::type*>(this);
  }
  template <class M>
  const auto* as() const noexcept {
    return dynamic_cast<const typename detail::ModuleClass<M>::type*>(this);
  }

  // Registers a trainable tensor (a floating leaf; it requires grad unless told otherwise) and
  // returns it; the returned handle is the registered one (copies share it), so keep it as a member.
  Tensor register_parameter(const std::string& name, Tensor tensor, bool requires_grad = true);
  // Registers state that is saved, loaded and converted with the parameters but never trained.
  Tensor register_buffer(const std::string& name, Tensor tensor);
  // Registers a child and returns it with its concrete type: fc1 = register_module("fc1", make_shared<LinearImpl>(..)).
  template <class M>
  std::shared_ptr<M> register_module(const std::string& name, std::shared_ptr<M> module) {
    static_assert(std::is_base_of_v<Module, M>, "register_module: M must derive from tg::nn::Module");
    add_child(name, module);
    return module;
  }
  // The same for a module holder (fc1 = register_module("fc1", tg::nn::Linear(784, 50))).
  template <class Holder, class = typename std::decay_t<Holder>::ContainedType>
  std::decay_t<Holder> register_module(const std::string& name, Holder&& holder) {
    add_child(name, holder.ptr());
    return std::forward<Holder>(holder);
  }
  // Puts `module` in place of the child registered as `name` (which must exist) and returns it.
  std::shared_ptr<Module> replace_module(const std::string& name, std::shared_ptr<Module> module);
  // Removes the child registered as `name` (which must exist).
  void unregister_module(const std::string& name);

  // This module's own entries first, then each child's under "child_name.", depth first — the order
  // of LibTorch and PyTorch, and the order an optimizer and a checkpoint see them in.
  std::vector<Tensor> parameters(bool recurse = true) const;
  Named<Tensor> named_parameters(bool recurse = true) const;
  std::vector<Tensor> buffers(bool recurse = true) const;
  Named<Tensor> named_buffers(bool recurse = true) const;
  std::vector<std::shared_ptr<Module>> children() const;
  const Named<std::shared_ptr<Module>>& named_children() const { return children_; }
  // Every module of the tree, depth first, this one first unless include_self is false; named by
  // dotted path ("features.0"), this one by name_prefix. include_self needs this module to live in a
  // shared_ptr (a holder or make_shared), as in LibTorch; otherwise it throws.
  std::vector<std::shared_ptr<Module>> modules(bool include_self = true);
  Named<std::shared_ptr<Module>> named_modules(const std::string& name_prefix = "", bool include_self = true);
  // fn on every module of the tree, this one first, depth first (e.g. to initialise every Linear).
  void apply(const std::function<void(Module&)>& fn);
  void apply(const std::function<void(const std::string&, Module&)>& fn, const std::string& name_prefix = "");

  // Training mode, for the layers that behave differently in evaluation (dropout, batch norm).
  virtual void train(bool on = true);
  void eval() { train(false); }
  bool is_training() const { return training_; }

  // Converts every floating parameter and buffer, recursively, in place (set_data: every handle to
  // them, a layer's members and an optimizer's included, sees the new dtype). Gradients are dropped;
  // requires_grad is kept. Throws for a non-floating dtype or a device other than the CPU.
  virtual void to(ScalarType dtype);
  virtual void to(Device device, ScalarType dtype);
  virtual void to(Device device);

  // Zeroes every parameter's gradient in place, recursively, as LibTorch 1.13 does; with set_to_none
  // (LibTorch 2's default) frees them instead, and the next backward writes them afresh.
  void zero_grad(bool set_to_none = false);
  // The number of scalars in all parameters, recursively.
  std::size_t parameter_count() const;

  // A deep copy, as LibTorch's: a module of the same type and structure whose parameters and buffers
  // are new tensors holding this one's values (with their dtype and requires_grad; no gradients), each
  // submodule in this one's training mode. Every built-in module clones; a module of your own does
  // when it derives from tg::nn::Cloneable<YourImpl> (modules/cloneable.hpp), else this throws.
  // Like LibTorch's, it builds the copy first, so the copy's initialisation draws from the generator.
  // A device other than the CPU throws.
  std::shared_ptr<Module> clone(const std::optional<Device>& device = std::nullopt) const;
  // What clone() builds before it copies the values: a new module of this type and structure, freshly
  // initialised. Each built-in module overrides it; this one throws, naming the module.
  virtual std::shared_ptr<Module> clone_structure() const;

  // One line describing this module alone, e.g. "Linear(in_features=784, out_features=50, bias=true)";
  // operator<< adds the children below it.
  virtual void pretty_print(std::ostream& stream) const;

 private:
  void add_child(const std::string& name, std::shared_ptr<Module> module);
  void check_new_name(const std::string& name, const char* what) const;
  void collect(const std::string& prefix, bool recurse, bool buffers, Named<Tensor>& out) const;
  void print_tree(std::ostream& stream, const std::string& indentation) const;
  void collect_modules(const std::string& prefix, Named<std::shared_ptr<Module>>& out);
  void copy_state_from(const Module& from);
  friend std::ostream& operator<<(std::ostream& stream, const Module& module);

  std::string name_;
  Named<Tensor> parameters_{"Parameter"};
  Named<Tensor> buffers_{"Buffer"};
  Named<std::shared_ptr<Module>> children_{"Submodule"};
  bool training_ = true;
};

// The module tree, LibTorch's format: "Net(\n  (fc1): Linear(...)\n  (fc2): Linear(...)\n)".
std::ostream& operator<<(std::ostream& stream, const Module& module);

// So that `std::cout << net` prints the tree rather than the pointer (std's shared_ptr overload).
template <class M>
std::enable_if_t<std::is_base_of_v<Module, M>, std::ostream&> operator<<(std::ostream& stream,
                                                                         const std::shared_ptr<M>& module) {
  return module ? stream << static_cast<const Module&>(*module) : stream << "nullptr";
}

}  // namespace tg::nn
