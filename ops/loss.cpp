#include <tapegrad/ops/loss.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include <xtensor/xbroadcast.hpp>
#include <xtensor/xbuilder.hpp>

#include <tapegrad/core/tape.hpp>
#include <tapegrad/kernels/dispatch.hpp>
#include <tapegrad/ops/detail/index_check.hpp>
#include <tapegrad/ops/softmax.hpp>

namespace tg {
namespace {

// The op's output from its per-sample (or per-element) losses: themselves for None, their sum, or
// their sum / divisor for Mean, as a 0-d scalar.
template <class T>
Array<T> reduce_losses(Array<T>&& losses, Reduction reduction, double divisor) {
  if (reduction == Reduction::None) return std::move(losses);
  T total = kernels::row_sum(losses.data(), losses.size());
  // The mean of no losses is 0 / 0 = NaN, as in torch.
  if (reduction == Reduction::Mean) total /= static_cast<T>(divisor);
  Array<T> out = Array<T>::from_shape(Shape{});
  out.data()[0] = total;
  return out;
}

// The gradient reaching loss i from the op's output gradient g: g[i] for None, g for Sum, g / divisor
// for Mean (the same divisor as reduce_losses').
template <class T>
class LossGrad {
 public:
  LossGrad(const Array<T>& g, Reduction reduction, double divisor)
      : g_(g.data()),
        per_loss_(reduction == Reduction::None),
        scale_(reduction == Reduction::Mean ? static_cast<T>(1.0 / divisor) : T(1)) {}
  T operator[](std::size_t i) const { return per_loss_ ? g_[i] : g_[0] * scale_; }

 private:
  const T* g_;
  bool per_loss_;
  T scale_;
};

// ---- class losses: nll_loss, cross_entropy ----

constexpr std::size_t kIgnored = std::numeric_limits<std::size_t>::max();

// An (N, C, d1, ...) input seen as (N, C, D), with its checked targets: one class index per sample
// position (N * D of them, in target's order), or kIgnored.
struct ClassTargets {
  std::size_t n, c, inner;
  std::vector<std::size_t> index;
  bool any_ignored = false;
};

ClassTargets checked_targets(const char* op, const char* input, const Shape& shape, const Labels& target,
                             std::int64_t ignore_index) {
  if (shape.size() < 2)
    throw Error(std::string(op) + ": expected " + input + " of shape (N, C) or (N, C, d1, ...), got " +
                shape_str(shape));
  Shape expected{shape[0]};
  expected.insert(expected.end(), shape.begin() + 2, shape.end());
  if (to_shape(target.shape()) != expected)
    throw Error(std::string(op) + ": expected target of shape " + (shape.size() == 2 ? "(N,)" : "(N, d1, ...)") +
                " = " + shape_str(expected) + " for " + input + " of shape " + shape_str(shape) + ", got " +
                shape_str(target.shape()));
  detail::check_in_range(op, "target", target, shape[1], std::to_string(shape[1]) + " classes", &ignore_index);
  ClassTargets t{shape[0], shape[1], 1, {}};
  for (std::size_t k = 2; k < shape.size(); ++k) t.inner *= shape[k];
  t.index.reserve(target.size());
  for (const std::int64_t v : target) {
    t.any_ignored = t.any_ignored || v == ignore_index;
    t.index.push_back(v == ignore_index ? kIgnored : static_cast<std::size_t>(v));
  }
  return t;
}

// The class weights as a vector of C values (all 1 when weight is undefined), checked.
template <class T>
std::vector<T> class_weights(const char* op, const Variable<T>& weight, std::size_t c) {
  if (!weight.defined()) return std::vector<T>(c, T(1));
  if (weight.shape() != Shape{c})
    throw Error(std::string(op) + ": expected weight of shape (C,) = " + shape_str(Shape{c}) + ", got " +
                shape_str(weight.shape()));
  if (weight.requires_grad() && GradMode::is_enabled())
    throw Error(std::string(op) + ": weight requires grad, but a loss's weight gets no gradient (LibTorch does not "
                "implement it either); pass weight.detach()");
  return std::vector<T>(weight.value().begin(), weight.value().end());
}

// The weighted, smoothed negative log-likelihood of log-probabilities (N, C, D): per sample position
//   (1 - s) * -w[t] * lp[t] + (s / C) * sum_c -w[c] * lp[c], or 0 where t is ignored;
// Mean divides by the summed w[t] of the positions not ignored. nll_loss is s = 0; cross_entropy
// with weights, smoothing or ignored targets runs log_softmax and then this.
template <class T>
Variable<T> weighted_nll(const char* op, const Variable<T>& log_probs, ClassTargets t, std::vector<T> w,
                         Reduction reduction, T smoothing, const Shape& loss_shape) {
  const std::size_t c = t.c, inner = t.inner;
  const T keep = T(1) - smoothing, spread = smoothing / static_cast<T>(c);
  const T* lp = log_probs.value().data();
  Array<T> losses = Array<T>::from_shape(loss_shape);
  double total_weight = 0;
  for (std::size_t s = 0; s < t.index.size(); ++s) {
    const std::size_t target = t.index[s];
    if (target == kIgnored) {
      losses.data()[s] = T(0);
      continue;
    }
    const T* row = lp + (s / inner) * c * inner + s % inner;  // this position's C values, stride inner
    T loss = -keep * w[target] * row[target * inner];
    if (smoothing != T(0)) {
      T sum = 0;
      for (std::size_t k = 0; k < c; ++k) sum += w[k] * row[k * inner];
      loss -= spread * sum;
    }
    losses.data()[s] = loss;
    total_weight += w[target];
  }
  return record<T>(op, reduce_losses(std::move(losses), reduction, total_weight), {log_probs},
                   [t = std::move(t), w = std::move(w), reduction, total_weight, keep, spread](Array<T>& g,
                                                                                             Grads<T>& grads) {
                     T* dx = grads.zeroed_buffer(0);
                     const LossGrad<T> dloss(g, reduction, total_weight);
                     const std::size_t c = t.c, inner = t.inner;
                     for (std::size_t s = 0; s < t.index.size(); ++s) {
                       const std::size_t target = t.index[s];
                       if (target == kIgnored) continue;
                       T* row = dx + (s / inner) * c * inner + s % inner;
                       const T d = dloss[s];
                       row[target * inner] -= keep * w[target] * d;
                       if (spread != T(0))
                         for (std::size_t k = 0; k < c; ++k) row[k * inner] -= spread * w[k] * d;
                     }
                   });
}

Shape target_shape(const Labels& target) { return to_shape(target.shape()); }

// cross_entropy's fused path, (N, C) logits with no weights, smoothing or ignored targets: the loss
// from each row's logsumexp, and a backward that rebuilds the softmax from it.
template <class T>
Variable<T> fused_cross_entropy(const Variable<T>& logits, std::vector<std::size_t> t, Reduction reduction) {
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
  return record<T>("cross_entropy", reduce_losses(std::move(losses), reduction, static_cast<double>(n)), {logits},
                   [xv = logits.value_ptr(), lse = std::move(lse), t = std::move(t), c, reduction](Array<T>& g,
                                                                                                  Grads<T>& grads) {
                     bool fresh = false;
                     T* dx = grads.buffer(0, fresh);
                     const LossGrad<T> dloss(g, reduction, static_cast<double>(t.size()));
                     for (std::size_t i = 0; i < t.size(); ++i) {
                       const T s = dloss[i];
                       kernels::row_scaled_exp(xv->data() + i * c, lse[i], s, dx + i * c, c, !fresh);
                       dx[i * c + t[i]] -= s;
                     }
                   });
}

// ---- elementwise losses ----

template <class T>
void check_same_shape(const char* op, const Variable<T>& input, const Variable<T>& target) {
  if (input.shape() != target.shape())
    throw Error(std::string(op) + ": expected input and target of the same shape, got " + shape_str(input.shape()) +
                " and " + shape_str(target.shape()));
}

// Records an elementwise loss (one loss per element of input's shape) whose derivatives in input
// and in target at element k are d_input(k) and d_target(k).
template <class T, class DInput, class DTarget>
Variable<T> record_elementwise(const char* op, Array<T>&& losses, const Variable<T>& input, const Variable<T>& target,
                               Reduction reduction, DInput d_input, DTarget d_target) {
  const double count = static_cast<double>(losses.size());
  return record<T>(op, reduce_losses(std::move(losses), reduction, count), {input, target},
                   [shape = input.shape(), count, reduction, d_input, d_target](Array<T>& g, Grads<T>& grads) {
                     const LossGrad<T> dloss(g, reduction, count);
                     for (std::size_t i = 0; i < 2; ++i) {
                       if (!grads.needs(i)) continue;
                       Array<T> d = Array<T>::from_shape(shape);
                       for (std::size_t k = 0; k < d.size(); ++k)
                         d.data()[k] = (i == 0 ? d_input(k) : d_target(k)) * dloss[k];
                       grads.add(i, std::move(d));
                     }
                   });
}

// A loss of the difference d = input - target alone: value(d) per element, slope(d) its derivative
// in input (and -slope(d) in target).
template <class T, class Value, class Slope>
Variable<T> difference_loss(const char* op, const Variable<T>& input, const Variable<T>& target, Reduction reduction,
                            Value value, Slope slope) {
  check_same_shape(op, input, target);
  const T* a = input.value().data();
  const T* b = target.value().data();
  Array<T> losses = Array<T>::from_shape(input.shape());
  for (std::size_t k = 0; k < losses.size(); ++k) losses.data()[k] = value(a[k] - b[k]);
  auto diff = [av = input.value_ptr(), bv = target.value_ptr()](std::size_t k) {
    return av->data()[k] - bv->data()[k];
  };
  return record_elementwise<T>(op, std::move(losses), input, target, reduction,
                               [diff, slope](std::size_t k) { return slope(diff(k)); },
                               [diff, slope](std::size_t k) { return -slope(diff(k)); });
}

template <class T>
T sign(T d) {
  return static_cast<T>((d > T(0)) - (d < T(0)));
}

// An optional weight of the binary losses, checked and broadcast to input's shape (all 1 when undefined).
template <class T>
std::shared_ptr<Array<T>> broadcast_weight(const char* op, const char* name, const Variable<T>& weight,
                                           const Shape& shape) {
  if (!weight.defined()) return make_shared_array<T>(xt::ones<T>(shape));
  bool fits = weight.dim() <= shape.size();
  for (std::size_t k = 0; fits && k < weight.dim(); ++k) {
    const std::size_t ws = weight.shape()[weight.dim() - 1 - k];
    fits = ws == 1 || ws == shape[shape.size() - 1 - k];
  }
  if (!fits)
    throw Error(std::string(op) + ": " + name + " of shape " + shape_str(weight.shape()) +
                " does not broadcast to the input's shape " + shape_str(shape));
  if (weight.requires_grad() && GradMode::is_enabled())
    throw Error(std::string(op) + ": " + name + " requires grad, but a loss's " + name +
                " gets no gradient; pass it detach()ed");
  return make_shared_array<T>(xt::broadcast(weight.value(), shape));
}

template <class T>
void check_binary_target(const char* op, const Variable<T>& input, const Variable<T>& target) {
  if (input.shape() != target.shape())
    throw Error(std::string(op) + ": expected target of the input's shape " + shape_str(input.shape()) + ", got " +
                shape_str(target.shape()));
}

}  // namespace

template <class T>
Variable<T> nll_loss(const Variable<T>& log_probs, const Labels& target, const Variable<T>& weight,
                     Reduction reduction, std::int64_t ignore_index) {
  ClassTargets t = checked_targets("nll_loss", "log_probs", log_probs.shape(), target, ignore_index);
  std::vector<T> w = class_weights("nll_loss", weight, t.c);
  return weighted_nll("nll_loss", log_probs, std::move(t), std::move(w), reduction, T(0), target_shape(target));
}

template <class T>
Variable<T> nll_loss(const Variable<T>& log_probs, const Labels& target, Reduction reduction) {
  return nll_loss(log_probs, target, Variable<T>(), reduction);
}

template <class T>
Variable<T> cross_entropy(const Variable<T>& logits, const Labels& target, const Variable<T>& weight,
                          Reduction reduction, std::int64_t ignore_index, double label_smoothing) {
  if (!(label_smoothing >= 0.0 && label_smoothing <= 1.0))
    throw Error("cross_entropy: expected label_smoothing in [0, 1], got " + std::to_string(label_smoothing));
  ClassTargets t = checked_targets("cross_entropy", "logits", logits.shape(), target, ignore_index);
  std::vector<T> w = class_weights("cross_entropy", weight, t.c);
  if (!weight.defined() && label_smoothing == 0.0 && t.inner == 1 && !t.any_ignored)
    return fused_cross_entropy(logits, std::move(t.index), reduction);
  return weighted_nll("cross_entropy", log_softmax(logits, 1), std::move(t), std::move(w), reduction,
                      static_cast<T>(label_smoothing), target_shape(target));
}

template <class T>
Variable<T> cross_entropy(const Variable<T>& logits, const Labels& target, Reduction reduction) {
  return cross_entropy(logits, target, Variable<T>(), reduction);
}

template <class T>
Variable<T> mse_loss(const Variable<T>& input, const Variable<T>& target, Reduction reduction) {
  return difference_loss("mse_loss", input, target, reduction, [](T d) { return d * d; },
                         [](T d) { return T(2) * d; });
}

template <class T>
Variable<T> l1_loss(const Variable<T>& input, const Variable<T>& target, Reduction reduction) {
  return difference_loss("l1_loss", input, target, reduction, [](T d) { return std::abs(d); },
                         [](T d) { return sign(d); });
}

template <class T>
Variable<T> smooth_l1_loss(const Variable<T>& input, const Variable<T>& target, Reduction reduction, double beta) {
  if (!(beta >= 0.0)) throw Error("smooth_l1_loss: expected beta >= 0, got " + std::to_string(beta));
  if (beta == 0.0) {  // LibTorch's smooth_l1_loss is l1_loss there (its formula would divide by 0)
    return difference_loss("smooth_l1_loss", input, target, reduction, [](T d) { return std::abs(d); },
                           [](T d) { return sign(d); });
  }
  const T b = static_cast<T>(beta);
  return difference_loss(
      "smooth_l1_loss", input, target, reduction,
      [b](T d) { return std::abs(d) < b ? T(0.5) * d * d / b : std::abs(d) - T(0.5) * b; },
      [b](T d) { return d < -b ? T(-1) : d > b ? T(1) : d / b; });
}

template <class T>
Variable<T> huber_loss(const Variable<T>& input, const Variable<T>& target, Reduction reduction, double delta) {
  if (!(delta > 0.0)) throw Error("huber_loss: expected delta > 0, got " + std::to_string(delta));
  const T h = static_cast<T>(delta);
  return difference_loss(
      "huber_loss", input, target, reduction,
      [h](T d) { return std::abs(d) < h ? T(0.5) * d * d : h * (std::abs(d) - T(0.5) * h); },
      [h](T d) { return d < -h ? -h : d > h ? h : d; });
}

template <class T>
Variable<T> binary_cross_entropy(const Variable<T>& input, const Variable<T>& target, const Variable<T>& weight,
                                 Reduction reduction) {
  const char* op = "binary_cross_entropy";
  check_binary_target(op, input, target);
  const auto w = broadcast_weight(op, "weight", weight, input.shape());
  const T* x = input.value().data();
  const T* y = target.value().data();
  const std::size_t n = input.numel();
  for (std::size_t k = 0; k < n; ++k)
    if (!(x[k] >= T(0) && x[k] <= T(1)))
      throw Error(std::string(op) + ": expected every input element in [0, 1] (probabilities; use "
                  "binary_cross_entropy_with_logits for logits), got " + std::to_string(x[k]) + " at flat position " +
                  std::to_string(k) + " of input of shape " + shape_str(input.shape()));
  // LibTorch clamps the logs at -100, so input 0 or 1 gives a finite loss.
  auto log_x = [](T v) { return std::max(std::log(v), T(-100)); };
  auto log_1mx = [](T v) { return std::max(std::log1p(-v), T(-100)); };
  Array<T> losses = Array<T>::from_shape(input.shape());
  for (std::size_t k = 0; k < n; ++k)
    losses.data()[k] = -w->data()[k] * (y[k] * log_x(x[k]) + (T(1) - y[k]) * log_1mx(x[k]));
  auto xv = input.value_ptr(), yv = target.value_ptr();
  return record_elementwise<T>(
      op, std::move(losses), input, target, reduction,
      [xv, yv, w](std::size_t k) {  // LibTorch's: w (x - y) / max(x (1 - x), 1e-12)
        const T xk = xv->data()[k];
        return w->data()[k] * (xk - yv->data()[k]) / std::max((T(1) - xk) * xk, T(1e-12));
      },
      [xv, w](std::size_t k) {  // -w logit(x)
        const T xk = xv->data()[k];
        return w->data()[k] * (std::log1p(-xk) - std::log(xk));
      });
}

template <class T>
Variable<T> binary_cross_entropy_with_logits(const Variable<T>& input, const Variable<T>& target,
                                             const Variable<T>& weight, const Variable<T>& pos_weight,
                                             Reduction reduction) {
  const char* op = "binary_cross_entropy_with_logits";
  check_binary_target(op, input, target);
  const auto w = broadcast_weight(op, "weight", weight, input.shape());
  const auto pw = broadcast_weight(op, "pos_weight", pos_weight, input.shape());
  const T* x = input.value().data();
  const T* y = target.value().data();
  // softplus(-x) = log(1 + e^-x), stable at any x. LibTorch computes log(e^-m + e^(-x-m)) + m with
  // m = max(-x, 0), the same value but less precise where it is tiny (large positive x).
  auto softplus_neg = [](T v) { return std::max(-v, T(0)) + std::log1p(std::exp(-std::abs(v))); };
  Array<T> losses = Array<T>::from_shape(input.shape());
  for (std::size_t k = 0; k < losses.size(); ++k) {
    const T log_weight = T(1) + (pw->data()[k] - T(1)) * y[k];
    losses.data()[k] = w->data()[k] * ((T(1) - y[k]) * x[k] + log_weight * softplus_neg(x[k]));
  }
  auto xv = input.value_ptr(), yv = target.value_ptr();
  return record_elementwise<T>(
      op, std::move(losses), input, target, reduction,
      [xv, yv, w, pw](std::size_t k) {  // w ((1 + (pw - 1) y) sigmoid(x) - pw y)
        const T xk = xv->data()[k], yk = yv->data()[k], p = pw->data()[k];
        const T e = std::exp(-std::abs(xk));
        const T sigmoid = xk >= T(0) ? T(1) / (T(1) + e) : e / (T(1) + e);
        return w->data()[k] * ((T(1) + (p - T(1)) * yk) * sigmoid - p * yk);
      },
      [xv, w, pw, softplus_neg](std::size_t k) {  // w ((pw - 1) softplus(-x) - x)
        const T xk = xv->data()[k];
        return w->data()[k] * ((pw->data()[k] - T(1)) * softplus_neg(xk) - xk);
      });
}

#define TG_INSTANTIATE(T)                                                                                        \
  template Variable<T> nll_loss(const Variable<T>&, const Labels&, Reduction);                                   \
  template Variable<T> nll_loss(const Variable<T>&, const Labels&, const Variable<T>&, Reduction, std::int64_t); \
  template Variable<T> cross_entropy(const Variable<T>&, const Labels&, Reduction);                              \
  template Variable<T> cross_entropy(const Variable<T>&, const Labels&, const Variable<T>&, Reduction,            \
                                     std::int64_t, double);                                                      \
  template Variable<T> mse_loss(const Variable<T>&, const Variable<T>&, Reduction);                              \
  template Variable<T> l1_loss(const Variable<T>&, const Variable<T>&, Reduction);                               \
  template Variable<T> smooth_l1_loss(const Variable<T>&, const Variable<T>&, Reduction, double);                \
  template Variable<T> huber_loss(const Variable<T>&, const Variable<T>&, Reduction, double);                    \
  template Variable<T> binary_cross_entropy(const Variable<T>&, const Variable<T>&, const Variable<T>&,          \
                                            Reduction);                                                          \
  template Variable<T> binary_cross_entropy_with_logits(const Variable<T>&, const Variable<T>&,                  \
                                                        const Variable<T>&, const Variable<T>&, Reduction);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)
#undef TG_INSTANTIATE

}  // namespace tg
