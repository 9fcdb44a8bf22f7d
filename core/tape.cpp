#include <tapegrad/core/tape.hpp>

#include <tapegrad/kernels/dispatch.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <string>
#include <unordered_map>

#include <xtensor/xmath.hpp>

#include <immintrin.h>

namespace tg {

namespace {

// Locks a leaf held by another thread's backward function, which releases it within one GEMM: spin
// on try_lock for about that long before sleeping, as waking a sleeping thread costs more here.
void lock_leaf(std::mutex& m) {
  for (int k = 0; k < 4096; ++k) {
    if (m.try_lock()) return;
    _mm_pause();
  }
  m.lock();
}

std::uint64_t next_tape_id() {
  static std::atomic<std::uint64_t> counter{1};
  return counter++;
}

template <class T>
std::vector<std::unique_ptr<Tape<T>>>& tape_stack() {
  thread_local std::vector<std::unique_ptr<Tape<T>>> stack = [] {
    std::vector<std::unique_ptr<Tape<T>>> s;
    s.push_back(std::make_unique<Tape<T>>());
    return s;
  }();
  return stack;
}

// The gradient of a non-leaf is only meaningful while the tape generation that recorded it lives.
template <class T>
void check_live(const GradMeta<T>& m, const char* op) {
  if (!m.is_leaf && m.tape_id != Tape<T>::current().id())
    throw Error(std::string(op) + ": backward reached a tensor produced by '" + (m.op ? m.op : "?") +
                "' whose graph was already freed by an earlier backward() (or recorded on another "
                "tape); pass retain_graph=true to the first backward, or detach() the tensor");
}

// grad (+)= g, both of one shape.
template <class T>
void add_into(Array<T>& grad, bool& has_grad, Array<T>&& g) {
  if (!has_grad) {
    grad = std::move(g);
    has_grad = true;
    return;
  }
  T* dst = grad.data();
  const T* src = g.data();
  const std::size_t n = grad.size();
  for (std::size_t k = 0; k < n; ++k) dst[k] += src[k];
}

// The offset of the first NaN or infinity in a, or a.size() when every element is finite.
template <class T>
std::size_t first_nonfinite(const Array<T>& a) {
  const T* p = a.data();
  const std::size_t n = a.size();
  for (std::size_t k = 0; k < n; ++k)
    if (!std::isfinite(p[k])) return k;
  return n;
}

template <class T>
std::string value_str(T v) {
  return std::isnan(v) ? "nan" : v > 0 ? "inf" : "-inf";
}

}  // namespace

template <class T>
Array<T> sum_to_shape(Array<T>&& g, const Shape& shape, const char* op) {
  const std::size_t gd = g.dimension(), td = shape.size();
  auto fail = [&] {
    return Error(std::string(op) + ": gradient of shape " + shape_str(g.shape()) +
                 " cannot be summed back to the input's shape " + shape_str(shape) +
                 " (expected NumPy-broadcast-compatible shapes)");
  };
  if (gd < td) throw fail();
  const std::size_t lead = gd - td;
  std::vector<std::size_t> axes;
  for (std::size_t k = 0; k < lead; ++k) axes.push_back(k);
  for (std::size_t k = 0; k < td; ++k) {
    const std::size_t gs = g.shape()[lead + k];
    if (gs == shape[k]) continue;
    if (shape[k] != 1) throw fail();
    axes.push_back(lead + k);
  }
  if (axes.empty()) return std::move(g);
  // Summing the leading rows (a bias's gradient) as contiguous row adds is the common, hot case.
  if (axes.size() == lead && lead > 0) {
    const std::size_t inner = checked_numel(shape, op);
    Array<T> r = Array<T>::from_shape(shape);
    kernels::column_sums(g.data(), g.size() / std::max<std::size_t>(inner, 1), inner, r.data(), /*fresh=*/true);
    return r;
  }
  Array<T> r = xt::sum(g, axes, xt::evaluation_strategy::immediate);
  r.reshape(shape);
  return r;
}

namespace detail {
template <class T>
void check_forward(const char* op, const Array<T>& out, const std::vector<Shape>& shapes) {
  const std::size_t at = first_nonfinite(out);
  if (at == out.size()) return;
  throw Error(std::string("detect_anomaly: forward of '") + op + "' produced " + value_str(out.data()[at]) +
              " at element " + std::to_string(at) + " of its output of shape " + shape_str(out.shape()) +
              " (inputs of shapes " + shapes_str(shapes) + ")");
}
}  // namespace detail

template <class T>
void Grads<T>::throw_anomaly(std::size_t i, const Array<T>& g, std::size_t at) const {
  std::vector<Shape> shapes = entry_->input_shapes;
  if (shapes.empty())  // recorded before anomaly mode was turned on: the shapes of those with a gradient
    for (std::size_t i = 0; i < entry_->inputs.size(); ++i)
      shapes.push_back(entry_->inputs[i] ? entry_->inputs[i]->shape : Shape{});
  throw Error(std::string("detect_anomaly: backward of '") + entry_->op + "' produced " + value_str(g.data()[at]) +
              " at element " + std::to_string(at) + " of the gradient of its input " + std::to_string(i) +
              " (inputs of shapes " + shapes_str(shapes) + ", output of shape " + shape_str(entry_->output->shape) +
              ")");
}

template <class T>
typename Grads<T>::Target Grads<T>::target(GradMeta<T>& m) {
  if (!m.is_leaf || std::find(held_.begin(), held_.end(), &m) != held_.end()) return {m.grad, m.has_grad};
  if (capture_)
    if (auto* slot = capture_->find(&m)) return {slot->grad, slot->has_grad};
  for (Deferred& d : deferred_)
    if (d.leaf == &m) return {d.grad, d.has_grad};
  if (!capture_ && m.grad_mutex.try_lock()) {
    held_.push_back(&m);
    return {m.grad, m.has_grad};
  }
  deferred_.push_back({&m, Array<T>(), false});  // under a capture: a leaf not asked for, dropped by finish
  return {deferred_.back().grad, deferred_.back().has_grad};
}

template <class T>
void Grads<T>::add(std::size_t i, Array<T>&& g) {
  if (!entry_->inputs[i]) return;
  GradMeta<T>& m = *entry_->inputs[i];
  check_live(m, entry_->op);
  if (!std::equal(g.shape().begin(), g.shape().end(), m.shape.begin(), m.shape.end()))
    g = sum_to_shape(std::move(g), m.shape, entry_->op);
  if (anomaly_)
    if (const std::size_t at = first_nonfinite(g); at != g.size()) throw_anomaly(i, g, at);
  const Target t = target(m);
  add_into(t.grad, t.has_grad, std::move(g));
}

template <class T>
Array<T>& Grads<T>::grad_buffer(std::size_t i, bool& fresh) {
  GradMeta<T>& m = *entry_->inputs[i];
  check_live(m, entry_->op);
  if (anomaly_) handed_out_.push_back(i);
  const Target t = target(m);
  fresh = !t.has_grad;
  if (fresh) {
    t.grad = Array<T>::from_shape(m.shape);
    t.has_grad = true;
  }
  return t.grad;
}

template <class T>
T* Grads<T>::buffer(std::size_t i, bool& fresh) {
  return grad_buffer(i, fresh).data();
}

template <class T>
T* Grads<T>::zeroed_buffer(std::size_t i) {
  bool fresh = false;
  Array<T>& g = grad_buffer(i, fresh);
  if (fresh) std::fill_n(g.data(), g.size(), T(0));
  return g.data();
}

template <class T>
void Grads<T>::finish() {
  for (const std::size_t i : handed_out_) {
    const Target t = target(*entry_->inputs[i]);
    if (const std::size_t at = first_nonfinite(t.grad); at != t.grad.size()) throw_anomaly(i, t.grad, at);
  }
  handed_out_.clear();
  release();
  if (deferred_.empty()) return;  // the common case: std::deque's clear is not free
  if (!capture_)
    for (Deferred& d : deferred_) {
      lock_leaf(d.leaf->grad_mutex);
      const std::lock_guard<std::mutex> lock(d.leaf->grad_mutex, std::adopt_lock);
      add_into(d.leaf->grad, d.leaf->has_grad, std::move(d.grad));
    }
  deferred_.clear();
}

template <class T>
void Grads<T>::release() {
  for (GradMeta<T>* m : held_) m->grad_mutex.unlock();
  held_.clear();
}

template <class T>
Tape<T>::Tape() : id_(next_tape_id()) {}

template <class T>
Tape<T>& Tape<T>::current() {
  return *tape_stack<T>().back();
}

template <class T>
void Tape<T>::sweep(bool retain_graph, GradCapture<T>* capture) {
  Grads<T> grads(autograd::AnomalyMode::is_enabled(), capture);  // one for the sweep: its lists keep their capacity
  reached_.assign(entries_.size(), 0);
  std::size_t reached = 0;
  try {
    for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
      GradMeta<T>& out = *it->output;
      if (!out.has_grad) continue;
      if (capture)  // every consumer has run: out's gradient is whole
        if (auto* slot = capture->find(&out)) {
          slot->grad = out.grad;
          slot->has_grad = true;
          if (capture->complete()) {
            for (; it != entries_.rend(); ++it) {  // the rest get no sweep: no gradient stays behind
              free_buffer(it->output->grad);
              it->output->has_grad = false;
            }
            break;
          }
        }
      grads.start(*it);
      it->backward(out.grad, grads);
      grads.finish();
      it->swept = true;
      reached_[static_cast<std::size_t>(entries_.rend() - it) - 1] = 1;
      ++reached;
      // A non-leaf's gradient is spent once it has reached the inputs (LibTorch keeps none either).
      free_buffer(out.grad);
      out.has_grad = false;
    }
  } catch (...) {
    grads.release();
    // A half-swept graph would feed stale gradients to the next backward: drop it whole.
    for (auto& e : entries_) {
      free_buffer(e.output->grad);
      e.output->has_grad = false;
    }
    clear();
    throw;
  }
  if (retain_graph) return;
  if (reached == entries_.size()) clear();  // a training step: the loss reached every op
  else keep_held();
}

template <class T>
void Tape<T>::keep_held() {
  const std::size_t n = entries_.size();
  std::unordered_map<const GradMeta<T>*, std::size_t> producer;  // a non-leaf output -> its entry
  for (std::size_t j = 0; j < n; ++j) producer.emplace(entries_[j].output.get(), j);
  // Each output is referenced by its entry and by every entry it is an input of; any other
  // reference is a tensor's (or a backward function's, which keeps it one generation too long).
  std::vector<long> refs_on_tape(n, 1);
  for (const TapeEntry<T>& e : entries_)
    for (std::size_t k = 0; k < e.inputs.size(); ++k)
      if (e.inputs[k])
        if (auto f = producer.find(e.inputs[k].get()); f != producer.end()) ++refs_on_tape[f->second];
  std::vector<char> keep(n, 0);
  for (std::size_t j = n; j-- > 0;) {
    const TapeEntry<T>& e = entries_[j];
    if (reached_[j]) continue;
    if (!keep[j] && e.output.use_count() == refs_on_tape[j]) continue;
    keep[j] = 1;
    for (std::size_t k = 0; k < e.inputs.size(); ++k)
      if (e.inputs[k])
        if (auto f = producer.find(e.inputs[k].get()); f != producer.end() && !reached_[f->second]) keep[f->second] = 1;
  }
  // The kept outputs join the new generation; the others' stay in the old one, so a backward that
  // reaches them later throws instead of stopping there (check_live).
  id_ = next_tape_id();
  std::size_t kept = 0;
  for (std::size_t j = 0; j < n; ++j)
    if (keep[j]) {
      entries_[j].output->tape_id = id_;
      if (kept != j) entries_[kept] = std::move(entries_[j]);
      ++kept;
    }
  entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(kept), entries_.end());
}

template <class T>
void Tape<T>::clear() {
  entries_.clear();  // keeps capacity: the next step records without reallocating
  id_ = next_tape_id();
}

template <class T>
TapeScope<T>::TapeScope() {
  tape_stack<T>().push_back(std::make_unique<Tape<T>>());
}

template <class T>
TapeScope<T>::~TapeScope() {
  tape_stack<T>().pop_back();
}

// ---- Variable members that need the tape ----

template <class T>
T Variable<T>::item() const {
  if (numel() != 1)
    throw Error("item: expected a tensor with one element, got shape " + shape_str(shape()));
  return *value_->data();
}

template <class T>
Variable<T>& Variable<T>::requires_grad_(bool on) {
  if (!meta_->is_leaf)
    throw Error("requires_grad_: only a leaf's flag can be set; this tensor is the output of '" +
                std::string(meta_->op) + "' (detach() it first)");
  meta_->requires_grad = on;
  return *this;
}

template <class T>
const Array<T>& Variable<T>::grad() const {
  if (!meta_->has_grad)
    throw Error(meta_->is_leaf ? "grad: this tensor has no gradient (no backward() has reached it since it was "
                                 "created or zeroed; does it require grad?)"
                               : "grad: gradients of non-leaf tensors are not kept; read them from a leaf");
  return meta_->grad;
}

template <class T>
Array<T>& Variable<T>::grad() {
  return const_cast<Array<T>&>(static_cast<const Variable&>(*this).grad());
}

template <class T>
void Variable<T>::zero_grad() {
  free_buffer(meta_->grad);
  meta_->has_grad = false;
}

template <class T>
void Variable<T>::backward(bool retain_graph) const {
  if (numel() != 1)
    throw Error("backward: output of shape " + shape_str(shape()) +
                " is not a scalar; pass a gradient of that shape, backward(gradient)");
  backward(Array<T>(xt::ones<T>(value_->shape())), retain_graph);
}

template <class T>
void Variable<T>::backward(const Array<T>& gradient, bool retain_graph) const {
  if (!requires_grad())
    throw Error("backward: the tensor does not require grad (none of the inputs it was computed from does)");
  if (!std::equal(gradient.shape().begin(), gradient.shape().end(), shape().begin(), shape().end()))
    throw Error("backward: gradient of shape " + shape_str(gradient.shape()) + " given for an output of shape " +
                shape_str(shape()) + " (expected the same shape)");
  if (!meta_->is_leaf && meta_->tape_id != Tape<T>::current().id())
    throw Error("backward: the graph of this tensor was already freed by an earlier backward(); pass "
                "retain_graph=true to the first call to run backward twice");
  {
    std::unique_lock<std::mutex> lock(meta_->grad_mutex, std::defer_lock);
    if (meta_->is_leaf) lock.lock();  // backward from a leaf: the seed is its gradient
    add_into(meta_->grad, meta_->has_grad, Array<T>(gradient));
  }
  Tape<T>::current().sweep(retain_graph);
}

template <class T>
Variable<T> Variable<T>::detach() const {
  Variable v;
  v.value_ = value_;
  v.meta_ = make_grad_meta<T>();
  v.meta_->shape = meta_->shape;
  return v;
}

#define TG_INSTANTIATE(T)                                                    \
  template class Variable<T>;                                                \
  template class Grads<T>;                                                   \
  template class Tape<T>;                                                    \
  template class TapeScope<T>;                                               \
  template Array<T> sum_to_shape<T>(Array<T>&&, const Shape&, const char*); \
  template void detail::check_forward<T>(const char*, const Array<T>&, const std::vector<Shape>&);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)
#undef TG_INSTANTIATE

}  // namespace tg
