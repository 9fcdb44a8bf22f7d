#include <tapegrad/ops/loss.hpp>

#include <tapegrad/core/tape.hpp>
#include <tapegrad/kernels/row_softmax.hpp>
#include <tapegrad/kernels/sums.hpp>
#include <tapegrad/ops/detail/index_check.hpp>

namespace tg {
namespace {

// The op's output from its per-sample (or per-element) losses: themselves for None, their mean or
// sum as a 0-d scalar otherwise.
template <class T>
Array<T> reduce_losses(Array<T>&& losses, Reduction reduction) {
  if (reduction == Reduction::None) return std::move(losses);
  T total = kernels::row_sum(losses.data(), losses.size());
  // The mean of no losses is 0 / 0 = NaN, as in torch.
  if (reduction == Reduction::Mean) total /= static_cast<T>(losses.size());
  Array<T> out = Array<T>::from_shape(Shape{});
  out.data()[0] = total;
  return out;
}

// The gradient reaching loss i from the op's output gradient g: g[i] for None, g for Sum, g / count
// for Mean (count = the number of losses that were reduced).
template <class T>
class LossGrad {
 public:
  LossGrad(const Array<T>& g, Reduction reduction, std::size_t count)
      : g_(g.data()),
        per_loss_(reduction == Reduction::None),
        scale_(reduction == Reduction::Mean ? T(1) / static_cast<T>(count) : T(1)) {}
  T operator[](std::size_t i) const { return per_loss_ ? g_[i] : g_[0] * scale_; }

 private:
  const T* g_;
  bool per_loss_;
  T scale_;
};

// Checks an (N, C) input and its (N,) class targets in [0, C); returns the targets as indices.
std::vector<std::size_t> checked_targets(const char* op, const char* input, const Shape& shape, const Labels& target) {
  if (shape.size() != 2)
    throw Error(std::string(op) + ": expected " + input + " of shape (N, C), got " + shape_str(shape));
  if (target.dimension() != 1 || target.shape()[0] != shape[0])
    throw Error(std::string(op) + ": expected target of shape (N,) = " + shape_str(Shape{shape[0]}) + " for " + input +
                " of shape " + shape_str(shape) + ", got " + shape_str(target.shape()));
  detail::check_in_range(op, "target", target, shape[1], std::to_string(shape[1]) + " classes");
  return std::vector<std::size_t>(target.begin(), target.end());
}

}  // namespace

template <class T>
Variable<T> nll_loss(const Variable<T>& log_probs, const Labels& target, Reduction reduction) {
  std::vector<std::size_t> t = checked_targets("nll_loss", "log_probs", log_probs.shape(), target);
  const std::size_t n = t.size(), c = log_probs.shape()[1];
  Array<T> losses = Array<T>::from_shape({n});
  for (std::size_t i = 0; i < n; ++i) losses.data()[i] = -log_probs.value().data()[i * c + t[i]];
  // One nonzero per row: written into the gradient buffer directly, no (N, C) temporary.
  return record<T>("nll_loss", reduce_losses(std::move(losses), reduction), {log_probs},
                   [t = std::move(t), c, reduction](Array<T>& g, Grads<T>& grads) {
                     T* dx = grads.zeroed_buffer(0);
                     const LossGrad<T> dloss(g, reduction, t.size());
                     for (std::size_t i = 0; i < t.size(); ++i) dx[i * c + t[i]] -= dloss[i];
                   });
}

template <class T>
Variable<T> cross_entropy(const Variable<T>& logits, const Labels& target, Reduction reduction) {
  std::vector<std::size_t> t = checked_targets("cross_entropy", "logits", logits.shape(), target);
  const std::size_t n = t.size(), c = logits.shape()[1];
  const T* x = logits.value().data();
  // All the backward keeps besides the logits: each row's logsumexp, to rebuild the softmax from.
  std::vector<kernels::RowLse<T>> lse(n);
  Array<T> losses = Array<T>::from_shape({n});
  for (std::size_t i = 0; i < n; ++i) {
    lse[i] = kernels::row_logsumexp(x + i * c, c);
    losses.data()[i] = (lse[i].max - x[i * c + t[i]]) + lse[i].log_sum;  // exact at logits of ±1000
  }
  // dlogits_i = (softmax(logits_i) - onehot(t_i)) * dloss_i, with softmax = exp(logits - lse).
  return record<T>("cross_entropy", reduce_losses(std::move(losses), reduction), {logits},
                   [xv = logits.value_ptr(), lse = std::move(lse), t = std::move(t), c, reduction](Array<T>& g,
                                                                                                  Grads<T>& grads) {
                     bool fresh = false;
                     T* dx = grads.buffer(0, fresh);
                     const LossGrad<T> dloss(g, reduction, t.size());
                     for (std::size_t i = 0; i < t.size(); ++i) {
                       const T s = dloss[i];
                       kernels::row_scaled_exp(xv->data() + i * c, lse[i], s, dx + i * c, c, !fresh);
                       dx[i * c + t[i]] -= s;
                     }
                   });
}

template <class T>
Variable<T> mse_loss(const Variable<T>& input, const Variable<T>& target, Reduction reduction) {
  if (input.shape() != target.shape())
    throw Error("mse_loss: expected input and target of the same shape, got " + shape_str(input.shape()) + " and " +
                shape_str(target.shape()));
  const T* a = input.value().data();
  const T* b = target.value().data();
  Array<T> squares = Array<T>::from_shape(input.shape());
  for (std::size_t k = 0; k < squares.size(); ++k) squares.data()[k] = (a[k] - b[k]) * (a[k] - b[k]);
  // d/dinput = 2 (input - target) * dloss = -d/dtarget.
  return record<T>("mse_loss", reduce_losses(std::move(squares), reduction), {input, target},
                   [av = input.value_ptr(), bv = target.value_ptr(), reduction](Array<T>& g, Grads<T>& grads) {
                     const LossGrad<T> dloss(g, reduction, av->size());
                     Array<T> d = Array<T>::from_shape(av->shape());
                     for (std::size_t k = 0; k < d.size(); ++k)
                       d.data()[k] = T(2) * (av->data()[k] - bv->data()[k]) * dloss[k];
                     if (grads.needs(0)) grads.add(0, grads.needs(1) ? Array<T>(d) : std::move(d));
                     if (grads.needs(1)) {
                       for (std::size_t k = 0; k < d.size(); ++k) d.data()[k] = -d.data()[k];
                       grads.add(1, std::move(d));
                     }
                   });
}

#define TG_INSTANTIATE(T)                                                            \
  template Variable<T> nll_loss(const Variable<T>&, const Labels&, Reduction);       \
  template Variable<T> cross_entropy(const Variable<T>&, const Labels&, Reduction);  \
  template Variable<T> mse_loss(const Variable<T>&, const Variable<T>&, Reduction);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)
#undef TG_INSTANTIATE

}  // namespace tg
