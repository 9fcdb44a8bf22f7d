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
// apply runs forward without recording and returns what it returns (a Tensor, or a variable_list for
// several outputs), recorded as one function of its Tensor arguments: backward gets one gradient per
// output (zeros for an output that did not reach the loss, or an undefined Tensor after
// ctx->set_materialize_grads(false)) and returns one per forward argument (an undefined Tensor for
// "none" and for non-Tensor arguments; one per element of a std::vector<Tensor>). A gradient may be
// of a shape that sums back to its input's (broadcasting) and is converted to its input's dtype.
// Integer outputs and those passed to mark_non_differentiable get no gradient.
//
// On the tape, a function with one differentiable output is one entry. With several, it is one entry
// for the function (its output a 0-d placeholder) and, after it, one per output that hands its
// gradient over: the reverse sweep reaches every output before the function, so backward runs once,
// with every output's gradient.
//
// Where this differs from LibTorch: backward runs without recording (no double backward); saved
// tensors carry no version check; no mark_dirty (in-place forward); the differentiable outputs and
// the inputs that require grad share one dtype (the float and double tapes are separate); a
// std::vector<Tensor> argument is a TensorList (LibTorch treats only an ArrayRef<Tensor> so).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
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
using tensor_list = std::vector<Tensor>;  // LibTorch's other name for it

template <class Derived>
struct Function;

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
  // These outputs of forward get no gradient (backward sees zeros for them).
  void mark_non_differentiable(const variable_list& outputs);
  // false: backward gets an undefined Tensor, not zeros, for an output whose gradient is none.
  void set_materialize_grads(bool value) { materialize_grads_ = value; }
  // Whether the i-th Tensor argument of forward (counting Tensor arguments only, as LibTorch's
  // edges) will get its gradient used: skip computing the others.
  bool needs_input_grad(std::size_t i) const { return i < needs_input_grad_.size() && needs_input_grad_[i]; }

 private:
  template <class Derived>
  friend struct Function;

  variable_list saved_;
  variable_list non_differentiable_;  // read by apply right after forward, then cleared
  std::vector<bool> needs_input_grad_;
  bool materialize_grads_ = true;
};

namespace detail {

using CustomBackward = std::function<variable_list(variable_list grad_outputs)>;

// The arguments of forward as the tape sees them.
struct FunctionArgs {
  // Per argument (a list's elements each count as one, as LibTorch's TensorList): the Tensor, or
  // undefined for any other argument; and whether it is a Tensor (or an engaged std::optional<Tensor>).
  variable_list tensors;
  std::vector<bool> is_var;

  template <class A>
  void add(const A& arg) {
    using D = std::decay_t<A>;
    if constexpr (std::is_same_v<D, Tensor>) {
      tensors.push_back(arg);
      is_var.push_back(true);
    } else if constexpr (std::is_same_v<D, variable_list>) {
      for (const Tensor& t : arg) add(t);
    } else if constexpr (std::is_same_v<D, std::optional<Tensor>>) {
      tensors.push_back(arg ? *arg : Tensor());
      is_var.push_back(arg.has_value() && arg->defined());
    } else {
      tensors.emplace_back();
      is_var.push_back(false);
    }
  }
};

// What apply learnt from forward, for recording.
struct FunctionOutputs {
  variable_list outputs;
  variable_list non_differentiable;
  bool materialize_grads;
};

// `name` demangled (the tape entry's op name: it must outlive the tape).
std::string demangle(const char* name);
// Records the function making `out.outputs` (computed without recording) functions of `args`' Tensors;
// returns the outputs, the differentiable ones now on the tape. Records nothing when no Tensor
// argument requires grad, grad mode is off or no output is differentiable.
variable_list record_function(const char* name, FunctionOutputs out, const FunctionArgs& args,
                              CustomBackward backward);

}  // namespace detail

template <class X, class... Args>
using forward_t = decltype(X::forward(nullptr, std::declval<Args>()...));

// The base of a custom function: Derived defines static forward(AutogradContext*, args...) returning a
// Tensor or a variable_list, and static backward(AutogradContext*, variable_list) returning one
// gradient per forward argument.
template <class Derived>
struct Function {
  template <class X = Derived, class... Args>
  static auto apply(Args&&... args) -> std::enable_if_t<std::is_same_v<X, Derived>, forward_t<X, Args...>> {
    using Out = forward_t<X, Args...>;
    static_assert(std::is_same_v<Out, Tensor> || std::is_same_v<Out, variable_list>,
                  "tg::autograd::Function: forward must return a tg::Tensor or a tg::autograd::variable_list");
    static const std::string name = detail::demangle(typeid(Derived).name());
    detail::FunctionArgs fargs;
    (fargs.add(args), ...);
    auto ctx = std::make_shared<AutogradContext>();
    const bool grad_mode = GradMode::is_enabled();
    for (std::size_t i = 0; i < fargs.tensors.size(); ++i)
      if (fargs.is_var[i])
        ctx->needs_input_grad_.push_back(grad_mode && fargs.tensors[i].defined() && fargs.tensors[i].requires_grad());
    Out result;
    {
      NoGradGuard no_grad;
      result = Derived::forward(ctx.get(), std::forward<Args>(args)...);
    }
    detail::FunctionOutputs out{{}, std::move(ctx->non_differentiable_), ctx->materialize_grads_};
    ctx->non_differentiable_.clear();  // the entry must not keep the outputs' values alive
    if constexpr (std::is_same_v<Out, Tensor>)
      out.outputs.push_back(std::move(result));
    else
      out.outputs = std::move(result);
    variable_list recorded =
        detail::record_function(name.c_str(), std::move(out), fargs, [ctx](variable_list grad_outputs) {
          return Derived::backward(ctx.get(), std::move(grad_outputs));
        });
    if constexpr (std::is_same_v<Out, Tensor>)
      return recorded[0];
    else
      return recorded;
  }
};

// The gradients of `outputs` with respect to `inputs` (leaves or intermediate tensors of one floating
// dtype, as the outputs), written nowhere else: no tensor's .grad() is read or changed, so it may run
// beside another thread's backward over the same parameters. grad_outputs gives each output's seed
// (empty, or undefined for a one-element output: 1). An input the outputs do not depend on is an
// error unless allow_unused, which gives an undefined Tensor. Like backward(), it sweeps this
// thread's tape, freed afterwards unless retain_graph (which defaults to create_graph, as LibTorch's).
// create_graph=true throws: backward functions do not record, so there is no double backward.
variable_list grad(const variable_list& outputs, const variable_list& inputs, const variable_list& grad_outputs = {},
                   std::optional<bool> retain_graph = std::nullopt, bool create_graph = false,
                   bool allow_unused = false);

}  // namespace autograd

// As torch/autograd.h: torch::AutogradContext, torch::variable_list.
using AutogradContext = autograd::AutogradContext;
using variable_list = autograd::variable_list;

}  // namespace tg
