#include <tapegrad/core/custom_function.hpp>

#include <tapegrad/core/tape.hpp>

#include <cxxabi.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>
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

bool AutogradContext::is_non_differentiable(const Tensor& output) const {
  return std::any_of(non_differentiable_.begin(), non_differentiable_.end(),
                     [&](const Tensor& t) { return t.is_same(output); });
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

template <class T>
Tensor record_typed(const char* name, const Tensor& output, const variable_list& inputs, CustomBackward backward) {
  std::vector<Variable<T>> vars;
  std::vector<std::size_t> arg_of;  // entry input k is forward argument arg_of[k]
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const Tensor& in = inputs[i];
    if (!in.defined() || !in.requires_grad()) continue;
    if (in.scalar_type() != scalar_type_v<T>)
      throw Error(std::string(name) + ": input " + std::to_string(i) + " is " + to_string(in.scalar_type()) +
                  " and requires grad, but forward returned " + to_string(scalar_type_v<T>) +
                  " (a gradient cannot cross dtypes: the float and double tapes are separate)");
    vars.push_back(in.variable<T>());
    arg_of.push_back(i);
  }
  std::vector<bool> is_tensor;  // not the inputs themselves: the entry must not keep their values alive
  for (const Tensor& in : inputs) is_tensor.push_back(in.defined());
  const std::size_t n_args = inputs.size();
  return tg::detail::record_inputs<T>(
      name, output.variable<T>().value_ptr(), vars,
      [name, n_args, arg_of, is_tensor, backward = std::move(backward)](Array<T>& g, Grads<T>& grads) {
        variable_list returned;
        {
          NoGradGuard no_grad;
          returned = backward({Tensor(Variable<T>(std::move(g)))});
        }
        if (returned.size() != n_args)
          throw Error(std::string(name) + ": backward returned " + std::to_string(returned.size()) +
                      " gradients, expected " + std::to_string(n_args) +
                      " (one per forward argument; an undefined Tensor where there is none)");
        for (std::size_t i = 0; i < n_args; ++i)
          if (returned[i].defined() && !is_tensor[i])
            throw Error(std::string(name) + ": backward returned a gradient for argument " + std::to_string(i) +
                        ", which is not a Tensor (expected an undefined Tensor there)");
        for (std::size_t k = 0; k < arg_of.size(); ++k)
          if (returned[arg_of[k]].defined()) add_returned_grad<T>(name, arg_of[k], k, returned[arg_of[k]], grads);
      });
}

}  // namespace

Tensor record_function(const char* name, const Tensor& output, const variable_list& inputs, CustomBackward backward) {
  if (!output.defined()) throw Error(std::string(name) + ": forward returned an undefined Tensor");
  if (!GradMode::is_enabled() || !output.is_floating_point()) return output;
  if (std::none_of(inputs.begin(), inputs.end(), [](const Tensor& t) { return t.defined() && t.requires_grad(); }))
    return output;
  if (output.scalar_type() == kFloat) return record_typed<float>(name, output, inputs, std::move(backward));
  return record_typed<double>(name, output, inputs, std::move(backward));
}

}  // namespace detail

namespace {

// grad(): the leaves' gradients are moved aside, the tape swept as by backward(), the inputs' gradients
// taken, and every leaf's gradient put back. (The sweep still computes the gradients of leaves that
// were not asked for; they are dropped.)
template <class T>
variable_list grad_typed(const variable_list& outputs, const variable_list& inputs, const variable_list& grad_outputs,
                         bool retain_graph, bool allow_unused) {
  Tape<T>& tape = Tape<T>::current();
  std::vector<GradMeta<T>*> wanted;
  for (std::size_t j = 0; j < inputs.size(); ++j) {
    const Tensor& in = inputs[j];
    if (!in.requires_grad())
      throw Error("autograd::grad: input " + std::to_string(j) + " does not require grad");
    if (!in.is_leaf())
      throw Error("autograd::grad: input " + std::to_string(j) +
                  " is not a leaf (it is an op's output); tapegrad computes gradients with respect to leaves only");
    wanted.push_back(in.variable<T>().meta().get());
  }
  std::vector<Array<T>> seeds;
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const Variable<T>& out = outputs[i].variable<T>();
    if (!out.requires_grad())
      throw Error("autograd::grad: output " + std::to_string(i) + " does not require grad");
    if (!out.is_leaf() && out.meta()->tape_id != tape.id())
      throw Error("autograd::grad: the graph of output " + std::to_string(i) +
                  " was already freed by an earlier backward; pass retain_graph=true to that one");
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

  // Every leaf the sweep or a seed can write: the recorded ops' inputs, the wanted ones, leaf outputs.
  std::vector<GradMeta<T>*> leaves(wanted);
  for (const Tensor& out : outputs)
    if (out.is_leaf()) leaves.push_back(out.variable<T>().meta().get());
  for (const TapeEntry<T>& e : tape.entries())
    for (const auto& m : e.inputs)
      if (m && m->is_leaf) leaves.push_back(m.get());
  std::sort(leaves.begin(), leaves.end());
  leaves.erase(std::unique(leaves.begin(), leaves.end()), leaves.end());
  std::vector<std::pair<Array<T>, bool>> stash;
  stash.reserve(leaves.size());
  for (GradMeta<T>* m : leaves) {
    const std::lock_guard<std::mutex> lock(m->grad_mutex);
    stash.emplace_back(std::move(m->grad), m->has_grad);
    m->grad = Array<T>();
    m->has_grad = false;
  }
  auto restore = [&] {
    for (std::size_t k = 0; k < leaves.size(); ++k) {
      const std::lock_guard<std::mutex> lock(leaves[k]->grad_mutex);
      leaves[k]->grad = std::move(stash[k].first);
      leaves[k]->has_grad = stash[k].second;
    }
  };

  variable_list result(inputs.size());
  try {
    bool any_recorded = false;
    for (std::size_t i = 0; i < outputs.size(); ++i) {
      GradMeta<T>& m = *outputs[i].variable<T>().meta();
      // An output that is a leaf is its own gradient's only path: its seed goes to it directly.
      if (!m.is_leaf) any_recorded = true;
      if (!m.has_grad) {
        m.grad = std::move(seeds[i]);
        m.has_grad = true;
      } else {
        m.grad += seeds[i];
      }
    }
    if (any_recorded) tape.sweep(retain_graph);
    for (std::size_t j = 0; j < inputs.size(); ++j) {
      GradMeta<T>& m = *wanted[j];
      if (!m.has_grad) {
        if (!allow_unused)
          throw Error("autograd::grad: input " + std::to_string(j) +
                      " was not used to compute the outputs; pass allow_unused=true to get an undefined Tensor");
        continue;
      }
      result[j] = Tensor(Variable<T>(m.grad));  // a copy: the same leaf may be listed twice
    }
  } catch (...) {
    for (std::size_t i = 0; i < outputs.size(); ++i) {  // a leaf output's seed must not stay behind
      GradMeta<T>& m = *outputs[i].variable<T>().meta();
      if (m.is_leaf) continue;
      m.grad = Array<T>();
      m.has_grad = false;
    }
    restore();
    throw;
  }
  restore();
  return result;
}

}  // namespace

variable_list grad(const variable_list& outputs, const variable_list& inputs, const variable_list& grad_outputs,
                   bool retain_graph, bool create_graph, bool allow_unused) {
  if (create_graph)
    throw Error("autograd::grad: create_graph=true is not supported (backward functions do not record, so there "
                "is no double backward)");
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
  if (type == kFloat) return grad_typed<float>(outputs, inputs, grad_outputs, retain_graph, allow_unused);
  return grad_typed<double>(outputs, inputs, grad_outputs, retain_graph, allow_unused);
}

}  // namespace autograd
}  // namespace tg
