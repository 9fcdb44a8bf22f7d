// tg::Variable: a cheap shared handle to a value and, when it requires grad, its gradient.
//
// A Variable is two shared pointers: the value buffer, and the autograd record (GradMeta) that the
// tape refers to. Keeping them apart lets the tape hold an op's inputs for their gradients without
// holding their values: a value stays alive past the forward pass only if some backward captured it.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>

#include <tapegrad/core/array.hpp>

namespace tg {

template <class T>
struct GradMeta {
  // User-provided, so that value-initialisation (make_shared) does not zero the whole object first.
  GradMeta() noexcept {}

  Shape shape;            // the value's shape, so a gradient can be summed back to it
  Array<T> grad;         // valid only when has_grad
  bool has_grad = false;
  bool requires_grad = false;
  bool is_leaf = true;    // false for the output of a recorded op
  std::uint64_t tape_id = 0;  // for non-leaves: the tape generation that recorded the producing op
  const char* op = nullptr;   // for non-leaves: the op that produced it, for error messages
  // For leaves: guards grad and has_grad while a backward writes them, since backward passes on
  // several threads may reach the same parameters (the rule is in core/tape.hpp, at Grads).
  std::mutex grad_mutex;
};

// A new GradMeta, in a block from the buffer cache (one a recorded op).
template <class T>
std::shared_ptr<GradMeta<T>> make_grad_meta() {
  return std::allocate_shared<GradMeta<T>>(BufferAllocator<GradMeta<T>>());
}

template <class T = float>
class Variable {
 public:
  using value_type = T;

  Variable() = default;  // undefined: holds nothing until assigned
  explicit Variable(Array<T> value, bool requires_grad = false)
      : Variable(make_shared_array<T>(std::move(value)), requires_grad) {}
  // Wraps an existing buffer without copying it (an op whose backward keeps its own output).
  explicit Variable(std::shared_ptr<Array<T>> value, bool requires_grad = false)
      : value_(std::move(value)), meta_(make_grad_meta<T>()) {
    meta_->shape = value_->shape();
    checked_numel(meta_->shape, "Variable");  // xtensor wraps an overflowing size around silently
    meta_->requires_grad = requires_grad;
  }

  bool defined() const { return value_ != nullptr; }

  const Array<T>& value() const { return *value_; }
  // In-place access for optimizers, initialisers and gradcheck. Keep the shape: the tape relies on it.
  Array<T>& value() { return *value_; }
  const Shape& shape() const { return meta_->shape; }
  std::size_t dim() const { return meta_->shape.size(); }
  std::size_t numel() const { return value_->size(); }
  T item() const;  // the single element of a one-element tensor

  bool requires_grad() const { return meta_->requires_grad; }
  // Leaves only, as in LibTorch: the output of an op requires grad exactly when an input does.
  Variable& requires_grad_(bool on = true);
  bool is_leaf() const { return meta_->is_leaf; }

  bool has_grad() const { return meta_->has_grad; }
  // The accumulated gradient of a leaf; throws when there is none (no backward yet, or zero_grad).
  const Array<T>& grad() const;
  Array<T>& grad();
  // Frees the gradient (LibTorch's set_to_none), so the next backward writes it afresh.
  void zero_grad();

  // Reverse sweep of this thread's tape from this scalar. The tape (and the buffers it saved) is
  // freed afterwards unless retain_graph; a second backward through a freed graph throws.
  void backward(bool retain_graph = false) const;
  // The same from a non-scalar output, seeded with `gradient` (of this tensor's shape).
  void backward(const Array<T>& gradient, bool retain_graph = false) const;

  // A new leaf sharing this value's buffer, cut from the graph (requires_grad false).
  Variable detach() const;

  // For the tape and for ops: the shared buffer and the autograd record.
  const std::shared_ptr<Array<T>>& value_ptr() const { return value_; }
  const std::shared_ptr<GradMeta<T>>& meta() const { return meta_; }

 private:
  std::shared_ptr<Array<T>> value_;
  std::shared_ptr<GradMeta<T>> meta_;
};

extern template class Variable<float>;
extern template class Variable<double>;

}  // namespace tg
