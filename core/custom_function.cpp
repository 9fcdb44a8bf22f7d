#include <tapegrad/core/custom_function.hpp>

#include <tapegrad/core/factories.hpp>
#include <tapegrad/core/tape.hpp>

#include <cxxabi.h>

#include <algorithm>
#include <cstdlib>
#include <string>

#include <xtensor/xbuilder.hpp>

namespace tg {

const char* IValue::kind() const {
  return isNone() ? "nothing" : isScalar() ? "a number" : isTensor() ? "a Tensor" : "a string";
}

const Scalar& IValue::toScalar() const {
  if (!isScalar()) throw Error(std::string("IValue: expected a number, holds ") + kind());
  return std::get<Scalar>(v_);
}

const Tensor& IValue::toTensor() const {
  if (!isTensor()) throw Error(std::string("IValue: expected a Tensor, holds ") + kind());
  return std::get<Tensor>(v_);
}

const std::string& IValue::toStringRef() const {
  if (!isString()) throw Error(std::string("IValue: expected a string, holds ") + kind());
  return std::get<std::string>(v_);
}

namespace autograd {

void AutogradContext::mark_non_differentiable(const variable_list& outputs) {
  non_differentiable_.insert(non_differentiable_.end(), outputs.begin(), outputs.end());
}

namespace detail {

std::string demangle(const char* name) {
  int status = 0;
  char* d = abi::__cxa_demangle(name, nullptr, nullptr, &status);
  std::string s = status == 0 && d ? d : name;
  std::free(d);
  return s;
}

namespace {

// Adds the gradient backward returned for argument `arg` into entry input `k` (a Tensor of type T).
template <class T>
void add_returned_grad(const char* name, std::size_t arg, std::size_t k, const Tensor& g, Grads<T>& grads) {
  if (!g.is_floating_point())
    throw Error(std::string(name) + ": backward returned a " + to_string(g.scalar_type()) + " gradient for input " +
                std::to_string(arg) + "; expected a floating tensor");
  Array<T> a = g.to(scalar_type_v<T>).template value<T>();  // a copy: grads.add takes ownership
  const Shape& shape = grads.shape(k);
  if (!std::equal(a.shape().begin(), a.shape().end(), shape.begin(), shape.end())) {
    const Shape got = to_shape(a.shape());
    try {
      a = sum_to_shape(std::move(a), shape, name);
    } catch (const Error&) {
      throw Error(std::string(name) + ": backward returned a gradient of shape " + shape_str(got) + " for input " +
                  std::to_string(arg) + " of shape " + shape_str(shape) +
                  " (expected that shape, or one that broadcasting sums back to it)");
    }
  }
  grads.add(k, std::move(a));
}

// Runs the user's backward on the outputs' gradients and adds what it returns into the entry's inputs.
template <class T>
struct RunBackward {
  const char* name;
  std::vector<bool> is_var;           // per forward argument
  std::vector<std::size_t> arg_of;    // entry input k is forward argument arg_of[k]
  std::vector<std::vector<std::int64_t>> output_sizes;
  std::vector<ScalarType> output_types;
  bool materialize;
  CustomBackward backward;

  void operator()(variable_list grad_outputs, Grads<T>& grads) const {
    if (materialize)
      for (std::size_t i = 0; i < grad_outputs.size(); ++i)
        if (!grad_outputs[i].defined()) grad_outputs[i] = zeros(output_sizes[i], output_types[i]);
    variable_list returned;
    {
      NoGradGuard no_grad;
      returned = backward(std::move(grad_outputs));
    }
    const std::size_t n_args = is_var.size();
    // Extra gradients are allowed when undefined (LibTorch drops them).
    if (returned.size() > n_args &&
        std::none_of(returned.begin() + n_args, returned.end(), [](const Tensor& t) { return t.defined(); }))
      returned.resize(n_args);
    if (returned.size() != n_args)
      throw Error(std::string(name) + ": backward returned " + std::to_string(returned.size()) +
                  " gradients, expected " + std::to_string(n_args) +
                  " (one per forward argument; an undefined Tensor where there is none)");
    for (std::size_t i = 0; i < n_args; ++i)
      if (returned[i].defined() && !is_var[i])
        throw Error(std::string(name) + ": backward returned a gradient for argument " + std::to_string(i) +
                    ", which is not a Tensor (expected an undefined Tensor there)");
    for (std::size_t k = 0; k < arg_of.size(); ++k)
      if (returned[arg_of[k]].defined()) add_returned_grad<T>(name, arg_of[k], k, returned[arg_of[k]], grads);
  }
};

template <class T>
variable_list record_typed(const char* name, FunctionOutputs out, const std::vector<std::size_t>& differentiable,
                           const FunctionArgs& args, CustomBackward backward) {
  std::vector<Variable<T>> vars;
  RunBackward<T> run{name, args.is_var, {}, {}, {}, out.materialize_grads, std::move(backward)};
  for (std::size_t i = 0; i < args.tensors.size(); ++i) {
    const Tensor& in = args.tensors[i];
    if (!args.is_var[i] || !in.defined() || !in.requires_grad()) continue;
    if (in.scalar_type() != scalar_type_v<T>)
      throw Error(std::string(name) + ": input " + std::to_string(i) + " is " + to_string(in.scalar_type()) +
                  " and requires grad, but forward returned " + to_string(scalar_type_v<T>) +
                  " (a gradient cannot cross dtypes: the float and double tapes are separate)");
    vars.push_back(in.variable<T>());
    run.arg_of.push_back(i);
  }
  variable_list& outputs = out.outputs;
  for (const Tensor& o : outputs) {  // not the outputs themselves: the entry must not keep their values alive
    run.output_sizes.push_back(o.sizes().vec());
    run.output_types.push_back(o.scalar_type());
  }
  const std::size_t n = outputs.size();

  if (differentiable.size() == 1) {
    const std::size_t k = differentiable[0];
    outputs[k] = tg::detail::record_inputs<T>(name, outputs[k].variable<T>().value_ptr(), vars,
                                              [n, k, run = std::move(run)](Array<T>& g, Grads<T>& grads) {
                                                variable_list grad_outputs(n);
                                                grad_outputs[k] = Tensor(Variable<T>(std::move(g)));
                                                run(std::move(grad_outputs), grads);
                                              });
    return std::move(outputs);
  }
  // Several: the function's entry, then one per output that hands its gradient over.
  auto arrived = std::make_shared<variable_list>(n);
  const Variable<T> function = tg::detail::record_inputs<T>(
      name, std::make_shared<Array<T>>(Array<T>(T(0))), vars,
      [arrived, n, run = std::move(run)](Array<T>&, Grads<T>& grads) {
        variable_list grad_outputs(n);
        grad_outputs.swap(*arrived);  // empty again for a sweep of a retained graph
        run(std::move(grad_outputs), grads);
      });
  for (const std::size_t k : differentiable)
    outputs[k] = record<T>(name, outputs[k].variable<T>().value_ptr(), {function},
                           [arrived, k](Array<T>& g, Grads<T>& grads) {
                             (*arrived)[k] = Tensor(Variable<T>(std::move(g)));
                             grads.add(0, Array<T>(T(0)));  // makes the sweep run the function's entry
                           });
  return std::move(outputs);
}

}  // namespace

variable_list record_function(const char* name, FunctionOutputs out, const FunctionArgs& args,
                              CustomBackward backward) {
  for (std::size_t i = 0; i < out.outputs.size(); ++i)
    if (!out.outputs[i].defined())
      throw Error(std::string(name) + ": forward returned an undefined Tensor" +
                  (out.outputs.size() > 1 ? " as output " + std::to_string(i) : std::string()));
  if (!GradMode::is_enabled() ||
      std::none_of(args.tensors.begin(), args.tensors.end(), [](const Tensor& t) { return t.defined() && t.requires_grad(); }))
    return std::move(out.outputs);
  std::vector<std::size_t> differentiable;
  for (std::size_t i = 0; i < out.outputs.size(); ++i) {
    const Tensor& o = out.outputs[i];
    const bool marked = std::any_of(out.non_differentiable.begin(), out.non_differentiable.end(),
                                    [&](const Tensor& t) { return t.is_same(o); });
    if (o.is_floating_point() && !marked) differentiable.push_back(i);
  }
  if (differentiable.empty()) return std::move(out.outputs);
  const ScalarType type = out.outputs[differentiable[0]].scalar_type();
  for (const std::size_t i : differentiable)
    if (out.outputs[i].scalar_type() != type)
      throw Error(std::string(name) + ": forward returned a " + to_string(type) + " output " +
                  std::to_string(differentiable[0]) + " and a " +
                  to_string(out.outputs[i].scalar_type()) + " output " + std::to_string(i) +
                  " (differentiable outputs share one dtype: the float and double tapes are separate; "
                  "mark_non_differentiable the other)");
  if (type == kFloat) return record_typed<float>(name, std::move(out), differentiable, args, std::move(backward));
  return record_typed<double>(name, std::move(out), differentiable, args, std::move(backward));
}

}  // namespace detail

namespace {

// grad(): one sweep of the tape that writes the gradients arriving at the inputs into a GradCapture
// instead of any .grad.
template <class T>
variable_list grad_typed(const variable_list& outputs, const variable_list& inputs, const variable_list& grad_outputs,
                         bool retain_graph, bool allow_unused) {
  Tape<T>& tape = Tape<T>::current();
  auto check_live = [&](const GradMeta<T>& m, const char* what, std::size_t i) {
    if (!m.is_leaf && m.tape_id != tape.id())
      throw Error(std::string("autograd::grad: the graph of ") + what + std::to_string(i) +
                  " was already freed by an earlier backward (or recorded on another thread or tape); pass "
                  "retain_graph=true to that one");
  };
  GradCapture<T> capture;
  for (std::size_t j = 0; j < inputs.size(); ++j) {
    if (!inputs[j].requires_grad())
      throw Error("autograd::grad: input " + std::to_string(j) + " does not require grad");
    const GradMeta<T>* m = inputs[j].variable<T>().meta().get();
    check_live(*m, "input ", j);
    if (!capture.has(m)) capture.slots.push_back({m, Array<T>(), false});
  }
  std::vector<Array<T>> seeds;
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const Variable<T>& out = outputs[i].variable<T>();
    if (!out.requires_grad())
      throw Error("autograd::grad: output " + std::to_string(i) + " does not require grad");
    check_live(*out.meta(), "output ", i);
    const Tensor seed = i < grad_outputs.size() ? grad_outputs[i] : Tensor();
    if (!seed.defined()) {
      if (out.numel() != 1)
        throw Error("autograd::grad: output " + std::to_string(i) + " of shape " + shape_str(out.shape()) +
                    " is not a scalar; pass its grad_outputs entry");
      seeds.push_back(Array<T>(xt::ones<T>(out.value().shape())));
      continue;
    }
    Array<T> s = seed.to(scalar_type_v<T>).template value<T>();
    if (!std::equal(s.shape().begin(), s.shape().end(), out.shape().begin(), out.shape().end()))
      throw Error("autograd::grad: grad_outputs[" + std::to_string(i) + "] has shape " + shape_str(s.shape()) +
                  ", output " + std::to_string(i) + " has shape " + shape_str(out.shape()) + " (expected the same)");
    seeds.push_back(std::move(s));
  }

  // A non-leaf output's seed is its gradient on this thread's tape; a leaf output's is its own
  // gradient's only part, captured directly when asked for.
  bool any_recorded = false;
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    GradMeta<T>& m = *outputs[i].variable<T>().meta();
    typename GradCapture<T>::Slot* leaf_slot = m.is_leaf ? capture.find(&m) : nullptr;
    if (m.is_leaf && !leaf_slot) continue;
    any_recorded = any_recorded || !m.is_leaf;
    Array<T>& g = m.is_leaf ? leaf_slot->grad : m.grad;
    bool& has = m.is_leaf ? leaf_slot->has_grad : m.has_grad;
    if (has)
      g += seeds[i];
    else {
      g = std::move(seeds[i]);
      has = true;
    }
  }
  if (any_recorded) tape.sweep(retain_graph, &capture);

  variable_list result(inputs.size());
  for (std::size_t j = 0; j < inputs.size(); ++j) {
    auto& slot = *capture.find(inputs[j].variable<T>().meta().get());
    if (!slot.has_grad) {
      if (!allow_unused)
        throw Error("autograd::grad: input " + std::to_string(j) +
                    " was not used to compute the outputs; pass allow_unused=true to get an undefined Tensor");
      continue;
    }
    const bool listed_again = std::any_of(inputs.begin() + j + 1, inputs.end(),
                                          [&](const Tensor& t) { return t.variable<T>().meta().get() == slot.node; });
    result[j] = Tensor(listed_again ? Variable<T>(slot.grad) : Variable<T>(std::move(slot.grad)));
  }
  return result;
}

}  // namespace

variable_list grad(const variable_list& outputs, const variable_list& inputs, const variable_list& grad_outputs,
                   std::optional<bool> retain_graph, bool create_graph, bool allow_unused) {
  if (create_graph)
    throw Error("autograd::grad: create_graph=true is not supported: backward functions do not record, so there is "
                "no graph of the gradients to differentiate again (no double backward)");
  if (outputs.empty() || inputs.empty()) throw Error("autograd::grad: expected at least one output and one input");
  if (!grad_outputs.empty() && grad_outputs.size() != outputs.size())
    throw Error("autograd::grad: got " + std::to_string(grad_outputs.size()) + " grad_outputs for " +
                std::to_string(outputs.size()) + " outputs (expected one per output, or none)");
  const ScalarType type = outputs[0].is_floating_point() ? outputs[0].scalar_type() : kFloat;
  for (const variable_list* list : {&outputs, &inputs})
    for (std::size_t i = 0; i < list->size(); ++i) {
      const Tensor& t = (*list)[i];
      const char* what = list == &outputs ? "output " : "input ";
      if (!t.defined()) throw Error(std::string("autograd::grad: ") + what + std::to_string(i) + " is undefined");
      if (!t.is_floating_point() || t.scalar_type() != type)
        throw Error(std::string("autograd::grad: ") + what + std::to_string(i) + " is " + to_string(t.scalar_type()) +
                    "; expected every output and input to be " + to_string(type) +
                    " (Float or Double, one dtype: the float and double tapes are separate)");
    }
  const bool retain = retain_graph.value_or(create_graph);
  if (type == kFloat) return grad_typed<float>(outputs, inputs, grad_outputs, retain, allow_unused);
  return grad_typed<double>(outputs, inputs, grad_outputs, retain, allow_unused);
}

}  // namespace autograd
}  // namespace tg
