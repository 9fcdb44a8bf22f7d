// The tape: every differentiable op, in creation order, with the function that sends its output's
// gradient to its inputs. Creation order is already a topological order, so backward is one reverse
// sweep with no graph sort (Stan Math's design). One tape per thread and scalar type; a backward
// sweeps everything recorded since the last backward, skipping in O(1) the entries whose output
// received no gradient. Then the entries it reached are freed, and so are those it did not reach
// unless a tensor still holds their output: a graph no backward has used yet stays usable, as in
// LibTorch (a GAN's generator output, detached for the discriminator's step, backpropagated later).
//
// Writing an op (see README): compute the value, then `record` it with a backward that adds each
// input's gradient through `Grads::add`. Capture only what the backward needs. The backward gets
// its output's gradient by non-const reference: it is freed right after, so it may be moved from.
//
//   template <class T> Variable<T> square(const Variable<T>& x) {
//     return record<T>("square", Array<T>(x.value() * x.value()), {x},
//                      [xv = x.value_ptr()](Array<T>& g, Grads<T>& grads) {
//                        grads.add(0, Array<T>(T(2) * *xv * g));
//                      });
//   }
#pragma once

#include <deque>
#include <functional>
#include <initializer_list>
#include <memory>
#include <vector>

#include <tapegrad/core/anomaly_mode.hpp>
#include <tapegrad/core/grad_mode.hpp>
#include <tapegrad/core/inline_function.hpp>
#include <tapegrad/core/variable.hpp>

namespace tg {

template <class T>
class Grads;
template <class T>
class Tape;

template <class T>
using BackwardFn = InlineFunction<void(Array<T>& grad_output, Grads<T>& grads)>;

// An op's inputs' autograd records, null where an input does not require grad. The one or two
// inputs of nearly every op are held inline, so recording an op allocates no list.
template <class T>
class TapeInputs {
 public:
  std::size_t size() const { return size_; }
  const std::shared_ptr<GradMeta<T>>& operator[](std::size_t i) const { return i < kInline ? inline_[i] : more_[i - kInline]; }
  void push_back(std::shared_ptr<GradMeta<T>> m) {
    if (size_ < kInline)
      inline_[size_] = std::move(m);
    else
      more_.push_back(std::move(m));
    ++size_;
  }

 private:
  static constexpr std::size_t kInline = 2;
  std::shared_ptr<GradMeta<T>> inline_[kInline];
  std::vector<std::shared_ptr<GradMeta<T>>> more_;
  std::size_t size_ = 0;
};

template <class T>
struct TapeEntry {
  // Built in place in the tape (Tape::push), the backward straight from the op's lambda.
  template <class F>
  TapeEntry(std::shared_ptr<GradMeta<T>> output, F&& backward, const char* op)
      : output(std::move(output)), backward(std::forward<F>(backward)), op(op) {}

  std::shared_ptr<GradMeta<T>> output;
  TapeInputs<T> inputs;
  BackwardFn<T> backward;
  const char* op;
  bool swept = false;  // its backward has run (to_dot shows it); stays set under retain_graph
  std::vector<Shape> input_shapes;  // recorded in anomaly mode only, for its messages
};

// What a sweep for autograd::grad writes instead of leaves' .grad: the gradient arriving at each
// listed node (a non-leaf's as its producing op is reached, when every consumer has added to it; a
// leaf's summed over the sweep). No leaf's .grad is read or written, so no lock is taken; gradients
// for leaves not listed are dropped, and skipped by ops that ask Grads::needs. When only non-leaves
// are listed, the sweep stops once it has reached them all.
template <class T>
struct GradCapture {
  struct Slot {
    const GradMeta<T>* node;
    Array<T> grad;  // valid only when has_grad
    bool has_grad = false;
  };
  std::vector<Slot> slots;

  Slot* find(const GradMeta<T>* node) {
    for (Slot& s : slots)
      if (s.node == node) return &s;
    return nullptr;
  }
  bool has(const GradMeta<T>* node) const {
    for (const Slot& s : slots)
      if (s.node == node) return true;
    return false;
  }
  // Every node is a non-leaf already reached: the older entries cannot change any of them.
  bool complete() const {
    for (const Slot& s : slots)
      if (s.node->is_leaf || !s.has_grad) return false;
    return true;
  }
};

// What a backward function writes its inputs' gradients into. `add` is the one place that sums a
// broadcast gradient back to its input's shape.
//
// Threads: the tape, and so every non-leaf, belongs to one thread, but backward passes on several
// threads may reach the same leaves (a model's parameters). A leaf's gradient is written only under
// its GradMeta::grad_mutex. A backward function takes a leaf's lock without waiting (try_lock) and
// holds it until the function returns; if another thread holds it, that input's gradient goes to a
// private buffer, added into the leaf under its lock after the function has returned and released
// every lock it held. A thread never waits while it holds a lock, so backward passes cannot deadlock,
// and the leaf gradients are the sum of every pass's, in some order.
template <class T>
class Grads {
 public:
  // Whether input i requires grad (skip computing its gradient otherwise).
  bool needs(std::size_t i) const {
    const GradMeta<T>* m = entry_->inputs[i].get();
    return m && (!capture_ || !m->is_leaf || capture_->has(m));
  }
  const Shape& shape(std::size_t i) const { return entry_->inputs[i]->shape; }

  // Adds g (of input i's shape, or broadcast-compatible with it) into input i's gradient.
  void add(std::size_t i, Array<T>&& g);
  void add(std::size_t i, const Array<T>& g) { add(i, Array<T>(g)); }

  // For kernels that accumulate in place (BLAS with beta=1): input i's gradient buffer, allocated
  // when absent. `fresh` says it holds garbage and must be overwritten, not added to. It stays
  // valid until the backward function returns.
  T* buffer(std::size_t i, bool& fresh);
  // The same, zeroed when new: for backwards that scatter-add (index ops, pooling, col2im).
  T* zeroed_buffer(std::size_t i);

  Grads(const Grads&) = delete;
  Grads& operator=(const Grads&) = delete;
  ~Grads() { release(); }

 private:
  friend class Tape<T>;
  struct Deferred {  // a leaf's gradient from this function, while another thread holds the leaf
    GradMeta<T>* leaf;
    Array<T> grad;
    bool has_grad;
  };
  struct Target {
    Array<T>& grad;
    bool& has_grad;
  };

  Grads(bool anomaly, GradCapture<T>* capture) : anomaly_(anomaly), capture_(capture) {}
  void start(const TapeEntry<T>& entry) { entry_ = &entry; }
  // After the backward function: checks its buffers (anomaly mode), unlocks, adds deferred gradients.
  void finish();
  void release();
  // Where input i's gradient goes: its own, or a private one while another thread holds the leaf.
  Target target(GradMeta<T>& m);
  Array<T>& grad_buffer(std::size_t i, bool& fresh);
  [[noreturn]] void throw_anomaly(std::size_t i, const Array<T>& g, std::size_t at) const;

  const TapeEntry<T>* entry_ = nullptr;
  bool anomaly_;
  GradCapture<T>* capture_;               // set in a sweep for autograd::grad
  std::vector<GradMeta<T>*> held_;       // leaves whose lock this function holds
  std::deque<Deferred> deferred_;        // a deque: buffer() pointers survive a push_back
  std::vector<std::size_t> handed_out_;  // inputs whose buffer() was handed out, in anomaly mode
};

template <class T>
class Tape {
 public:
  // This thread's innermost tape.
  static Tape& current();

  template <class F>
  TapeEntry<T>& push(std::shared_ptr<GradMeta<T>> output, F&& backward, const char* op) {
    return entries_.emplace_back(std::move(output), std::forward<F>(backward), op);
  }
  void pop() { entries_.pop_back(); }
  std::size_t size() const { return entries_.size(); }
  // The recorded ops, oldest first (to_dot reads them).
  const std::vector<TapeEntry<T>>& entries() const { return entries_; }
  std::uint64_t id() const { return id_; }

  // One reverse sweep; then, unless retain_graph, frees the entries it reached and those no tensor
  // can reach any more, and starts a new generation with the rest (keep_held). With a capture,
  // gradients go to it instead of leaves' .grad (autograd::grad).
  void sweep(bool retain_graph, GradCapture<T>* capture = nullptr);
  // Drops every entry unswept (a forward pass whose result is not needed).
  void clear();

  Tape();

 private:
  // After a sweep that left entries unreached: keeps those whose output a tensor still holds, and the
  // entries they were computed from, unless reached; drops the rest.
  void keep_held();

  std::vector<TapeEntry<T>> entries_;
  std::vector<char> reached_;  // per entry, during and after a sweep: its backward ran
  std::uint64_t id_;
};

// RAII: a fresh, nested tape for this thread until the scope ends (Stan's start_nested). gradcheck
// records on one, so checking an op never touches the caller's pending graph.
template <class T>
class TapeScope {
 public:
  TapeScope();
  ~TapeScope();
  TapeScope(const TapeScope&) = delete;
  TapeScope& operator=(const TapeScope&) = delete;
};

namespace detail {

// Anomaly mode's forward check: throws naming op and the shapes if out holds a NaN or an infinity.
template <class T>
void check_forward(const char* op, const Array<T>& out, const std::vector<Shape>& input_shapes);

// The body of every `record` overload, for any range of `const Variable<T>&` (an initializer list of
// references, or a vector).
template <class T, class Inputs, class F>
Variable<T> record_inputs(const char* op, std::shared_ptr<Array<T>> value, const Inputs& inputs, F&& backward) {
  Variable<T> out(std::move(value));
  const bool anomaly = autograd::AnomalyMode::is_enabled();
  if (anomaly) {
    std::vector<Shape> shapes;
    for (const Variable<T>& in : inputs) shapes.push_back(in.shape());
    check_forward(op, out.value(), shapes);
  }
  if (!GradMode::is_enabled()) return out;
  bool any = false;
  for (const Variable<T>& in : inputs) any = any || in.requires_grad();
  if (!any) return out;

  auto& tape = Tape<T>::current();
  GradMeta<T>& meta = *out.meta();
  meta.requires_grad = true;
  meta.is_leaf = false;
  meta.op = op;
  meta.tape_id = tape.id();
  TapeEntry<T>& entry = tape.push(out.meta(), std::forward<F>(backward), op);
  try {
    for (const Variable<T>& in : inputs) {
      entry.inputs.push_back(in.requires_grad() ? in.meta() : nullptr);
      if (anomaly) entry.input_shapes.push_back(in.shape());
    }
  } catch (...) {  // out of memory for a long input list: no half-recorded entry
    tape.pop();
    throw;
  }
  return out;
}

}  // namespace detail

// Records an op: `value` is its forward result, `inputs` the Variables it was computed from.
// Nothing is recorded (and `backward` is dropped) under NoGradGuard or when no input requires grad.
// Pass the value as a shared_ptr when the backward captures it too (exp, relu keep their output).
template <class T, class F>
Variable<T> record(const char* op, std::shared_ptr<Array<T>> value,
                   std::initializer_list<std::reference_wrapper<const Variable<T>>> inputs, F&& backward) {
  return detail::record_inputs<T>(op, std::move(value), inputs, std::forward<F>(backward));
}

template <class T, class F>
Variable<T> record(const char* op, Array<T>&& value,
                   std::initializer_list<std::reference_wrapper<const Variable<T>>> inputs, F&& backward) {
  return record<T>(op, make_shared_array<T>(std::move(value)), inputs, std::forward<F>(backward));
}

// The same with the forward result as an xtensor expression, evaluated straight into the shared
// block (no temporary Array moved into it).
template <class T, class E, class F>
Variable<T> record(const char* op, const xt::xexpression<E>& value,
                   std::initializer_list<std::reference_wrapper<const Variable<T>>> inputs, F&& backward) {
  return record<T>(op, make_shared_array<T>(value), inputs, std::forward<F>(backward));
}

// The same for an op with a variable number of inputs (cat, stack): grads.add(i, ..) addresses
// inputs[i].
template <class T, class F>
Variable<T> record(const char* op, Array<T>&& value, const std::vector<Variable<T>>& inputs, F&& backward) {
  return detail::record_inputs<T>(op, make_shared_array<T>(std::move(value)), inputs,
                                  std::forward<F>(backward));
}

// What a backward captures of an input's value: the shared buffer when a gradient will need it,
// nothing otherwise, so the buffer can be freed after the forward (Flashlight's withoutData).
template <class T>
std::shared_ptr<Array<T>> keep_if(bool needed, const Variable<T>& v) {
  return needed ? v.value_ptr() : nullptr;
}

// Sums `g` over the dims NumPy broadcasting expanded, giving a tensor of `shape`; throws naming `op`
// when g cannot have come from broadcasting that shape.
template <class T>
Array<T> sum_to_shape(Array<T>&& g, const Shape& shape, const char* op);

}  // namespace tg
