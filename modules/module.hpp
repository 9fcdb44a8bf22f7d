// tg::nn::Module: the base of every layer and model, as in LibTorch. A module owns named float
// parameters, buffers and child modules, in registration order; it finds them all by dotted name
// ("features.0.weight"), switches train/eval mode recursively and prints itself as a tree.
//
//   struct Net : tg::nn::Module {
//     Net() {
//       fc1 = register_module("fc1", std::make_shared<tg::nn::Linear>(784, 50));
//       fc2 = register_module("fc2", std::make_shared<tg::nn::Linear>(50, 10));
//     }
//     tg::Variable<float> forward(const tg::Variable<float>& x) override {
//       return fc2->forward(tg::relu(fc1->forward(x)));
//     }
//     std::shared_ptr<tg::nn::Linear> fc1, fc2;
//   };
//   auto net = std::make_shared<Net>();
//   std::cout << net;   // Net(\n  (fc1): Linear(in_features=784, out_features=50, bias=true)\n ...)
//
// Modules live behind std::shared_ptr (the one way): a parent holds its children through it, and
// copying a module is disabled because a copy would silently share the original's parameters.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <tapegrad/core/variable.hpp>

namespace tg::nn {

class Module {
 public:
  template <class V>
  using Named = std::vector<std::pair<std::string, V>>;

  // The name printed for this module; by default its class name without namespaces ("Net").
  Module() = default;
  explicit Module(std::string name) : name_(std::move(name)) {}
  virtual ~Module() = default;
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  std::string name() const;

  // The single-input forward that Sequential chains. Modules with another signature (the losses)
  // leave it alone; calling it on them throws an Error naming the module.
  virtual Variable<float> forward(const Variable<float>& x);

  // Registers a trainable tensor (a leaf that requires grad unless told otherwise) and returns its
  // handle; the handle shares state with the registered parameter, so keep it as a member.
  Variable<float> register_parameter(const std::string& name, Array<float> value, bool requires_grad = true);
  // Registers state that is saved and loaded with the parameters but never trained.
  Variable<float> register_buffer(const std::string& name, Array<float> value);
  // Registers a child and returns it with its concrete type: fc1 = register_module("fc1", make_shared<Linear>(..)).
  template <class M>
  std::shared_ptr<M> register_module(const std::string& name, std::shared_ptr<M> module) {
    static_assert(std::is_base_of_v<Module, M>, "register_module: M must derive from tg::nn::Module");
    add_child(name, module);
    return module;
  }

  // This module's own entries first, then each child's under "child_name.", depth first — the order
  // of LibTorch and PyTorch, and the order an optimizer and a checkpoint see them in.
  std::vector<Variable<float>> parameters(bool recurse = true) const;
  Named<Variable<float>> named_parameters(bool recurse = true) const;
  std::vector<Variable<float>> buffers(bool recurse = true) const;
  Named<Variable<float>> named_buffers(bool recurse = true) const;
  std::vector<std::shared_ptr<Module>> children() const;
  const Named<std::shared_ptr<Module>>& named_children() const { return children_; }

  // Training mode, for the layers that behave differently in evaluation (dropout, batch norm).
  virtual void train(bool on = true);
  void eval() { train(false); }
  bool is_training() const { return training_; }

  // Frees every parameter's gradient (LibTorch's set_to_none), recursively.
  void zero_grad();
  // The number of scalars in all parameters, recursively.
  std::size_t parameter_count() const;

  // One line describing this module alone, e.g. "Linear(in_features=784, out_features=50, bias=true)";
  // operator<< adds the children below it.
  virtual void pretty_print(std::ostream& stream) const;

 private:
  void add_child(const std::string& name, std::shared_ptr<Module> module);
  void check_new_name(const std::string& name, const char* what) const;
  void collect(const std::string& prefix, bool recurse, bool buffers, Named<Variable<float>>& out) const;
  void print_tree(std::ostream& stream, const std::string& indentation) const;
  friend std::ostream& operator<<(std::ostream& stream, const Module& module);

  std::string name_;
  Named<Variable<float>> parameters_;
  Named<Variable<float>> buffers_;
  Named<std::shared_ptr<Module>> children_;
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
