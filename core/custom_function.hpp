// Custom differentiable functions written the LibTorch way (torch/csrc/autograd/custom_function.h),
// beside `record` (core/tape.hpp), and tg::autograd::grad.
//
//   struct MulConst : tg::autograd::Function<MulConst> {
//     static tg::Tensor forward(tg::autograd::AutogradContext* ctx, tg::Tensor x, double k) {
//       ctx->saved_data["k"] = k;
//       return x * k;
//     }
//     static tg::autograd::variable_list backward(tg::autograd::AutogradContext* ctx,
//                                                 tg::autograd::variable_list grad_outputs) {
//       return {grad_outputs[0] * ctx->saved_data["k"].toDouble(), tg::Tensor()};  // one per forward argument
//     }
//   };
//   auto y = MulConst::apply(x, 2.0);
//
// apply runs forward without recording, then records one tape entry for the whole function: its
// backward calls Derived::backward with the output's gradient and adds the returned gradients to the
// Tensor arguments that require grad. As in LibTorch, backward returns one gradient per forward
// argument (an undefined Tensor for "none" and for non-Tensor arguments), a gradient may be of a shape
// that sums back to its input's (broadcasting) and is converted to its input's dtype.
//
// Where this differs from LibTorch: forward returns one Tensor (not a variable_list); backward runs
// without recording (no double backward); saved tensors carry no version check.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include <tapegrad/core/grad_mode.hpp>
#include <tapegrad/core/scalar.hpp>
#include <tapegrad/core/tensor.hpp>

namespace tg {

// What ctx->saved_data holds: a number (tg::Scalar), a Tensor or a string; c10::IValue's common cases.
class IValue {
 public:
  IValue() = default;
  template <class S, std::enable_if_t<std::is_arithmetic_v<S>, int> = 0>
  IValue(S v) : v_(Scalar(v)) {}
  IValue(const Scalar& v) : v_(v) {}
  IValue(Tensor v) : v_(std::move(v)) {}
  IValue(std::string v) : v_(std::move(v)) {}
  IValue(const char* v) : v_(std::string(v)) {}

  bool isNone() const { return std::holds_alternative<std::monostate>(v_); }
  bool isScalar() const { return std::holds_alternative<Scalar>(v_); }
  bool isTensor() const { return std::holds_alternative<Tensor>(v_); }
  bool isString() const { return std::holds_alternative<std::string>(v_); }

  // Each throws tg::Error naming what is held when it is something else.
  const Scalar& toScalar() const;
  double toDouble() const { return toScalar().toDouble(); }
  std::int64_t toInt() const { return toScalar().toLong(); }
  bool toBool() const { return toScalar().toBool(); }
  const Tensor& toTensor() const;
  const std::string& toStringRef() const;

 private:
  const char* kind() const;
  std::variant<std::monostate, Scalar, Tensor, std::string> v_;
};

namespace autograd {

using variable_list = std::vector<Tensor>;

// What forward hands to backward.
class AutogradContext {
 public:
  AutogradContext() = default;
  AutogradContext(const AutogradContext&) = delete;
  AutogradContext& operator=(const AutogradContext&) = delete;

  // Non-tensor state for backward (LibTorch: ska::flat_hash_map<std::string, IValue>).
  std::unordered_map<std::string, IValue> saved_data;

  // Tensors for backward: call once in forward, read back in backward.
  void save_for_backward(variable_list to_save) { saved_ = std::move(to_save); }
  const variable_list& get_saved_variables() const { return saved_; }
  // The output returned by forward is then not differentiable: apply records nothing.
  void mark_non_differentiable(const variable_list& outputs);
  // Whether forward argument i is a Tensor whose gradient will be asked for (skip computing others).
  bool needs_input_grad(std::size_t i) const { return i < needs_input_grad_.size() && needs_input_grad_[i]; }

 private:
  template <class Derived>
  friend struct Function;
  bool is_non_differentiable(const Tensor& output) const;

  variable_list saved_;
  variable_list non_differentiable_;
  std::vector<bool> needs_input_grad_;
};

namespace detail {

using CustomBackward = std::function<variable_list(variable_list grad_outputs)>;

// `name` demangled (the tape entry's op name: it must outlive the tape).
std::string demangle(const char* name);
// Records one tape entry making `output` (computed without recording) a function of `inputs` (one per
// forward argument; undefined for non-Tensor ones). Returns `output` unchanged when nothing requires
// grad or grad mode is off.
Tensor record_function(const char* name, const Tensor& output, const variable_list& inputs, CustomBackward backward);

template <class A>
Tensor tensor_or_undefined(const A& arg) {
  if constexpr (std::is_same_v<std::decay_t<A>, Tensor>)
    return arg;
  else
    return Tensor();
}

}  // namespace detail

// The base of a custom function: Derived defines static forward(AutogradContext*, args...) returning a
// Tensor and static backward(AutogradContext*, variable_list) returning one gradient per argument.
template <class Derived>
struct Function {
  template <class... Args>
  static Tensor apply(Args&&... args) {
    static const std::string name = detail::demangle(typeid(Derived).name());
    variable_list inputs{detail::tensor_or_undefined(args)...};
    auto ctx = std::make_shared<AutogradContext>();
    const bool grad_mode = GradMode::is_enabled();
    for (const Tensor& in : inputs) ctx->needs_input_grad_.push_back(grad_mode && in.defined() && in.requires_grad());
    Tensor output;
    {
      NoGradGuard no_grad;
      output = Derived::forward(ctx.get(), std::forward<Args>(args)...);
    }
    if (ctx->is_non_differentiable(output)) return output;
    return detail::record_function(name.c_str(), output, inputs, [ctx](variable_list grad_outputs) {
      return Derived::backward(ctx.get(), std::move(grad_outputs));
    });
  }
};

// The gradients of `outputs` with respect to `inputs` (leaves of one floating dtype, as the outputs),
// without touching any tensor's .grad(). grad_outputs gives each output's seed (empty, or undefined for
// a one-element output: 1). An input the outputs do not depend on is an error unless allow_unused,
// which gives an undefined Tensor. Like backward(), it sweeps this thread's tape, freed afterwards
// unless retain_graph. create_graph is not supported (backward functions do not record).
// It moves every reachable leaf's gradient aside for the sweep and back after it: not while another
// thread runs a backward that reaches the same leaves (a Grads mode that writes leaves' gradients to
// its own buffers, in core/tape.*, would lift that and skip the leaves not asked for).
variable_list grad(const variable_list& outputs, const variable_list& inputs, const variable_list& grad_outputs = {},
                   bool retain_graph = false, bool create_graph = false, bool allow_unused = false);

}  // namespace autograd
}  // namespace tg
