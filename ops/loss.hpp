// Losses with LibTorch 1.13's semantics, argument for argument as ATen's (at::nll_loss,
// at::cross_entropy_loss, ...); tg::nn::functional adds LibTorch's options-taking spellings
// (ops/loss_options.hpp). Mean and Sum give a 0-d scalar; None keeps one loss per sample for the
// class losses (target's shape) and one per element (input's shape) for the others.
//
// Class weights and pos_weight are constants, as in LibTorch (whose backward for them is not
// implemented): passing one that requires grad throws rather than silently giving it no gradient.
#pragma once

#include <cstdint>

#include <tapegrad/core/variable.hpp>

namespace tg {

enum class Reduction { None, Mean, Sum };

// LibTorch's spellings: tg::kMean as torch::kMean.
inline constexpr Reduction kNone = Reduction::None;
inline constexpr Reduction kMean = Reduction::Mean;
inline constexpr Reduction kSum = Reduction::Sum;

// -log_probs[i, target[i]], reduced over the batch: log_probs is (N, C), target (N,) in [0, C).
// Also (N, C, d1, ...) with target (N, d1, ...): one loss per position.
template <class T>
Variable<T> nll_loss(const Variable<T>& log_probs, const Labels& target, Reduction reduction = Reduction::Mean);

// The same with class weights (shape (C,), or undefined for none) and an ignored target value:
// loss_i = -weight[t_i] * log_probs[i, t_i], 0 where t_i == ignore_index (which may lie outside
// [0, C), -100 by default). Mean divides the sum by the summed weights of the targets not ignored
// (NaN when every target is ignored, as LibTorch).
template <class T>
Variable<T> nll_loss(const Variable<T>& log_probs, const Labels& target, const Variable<T>& weight,
                     Reduction reduction = Reduction::Mean, std::int64_t ignore_index = -100);

// nll_loss(log_softmax(logits, 1), target) as one op: logits is (N, C), target (N,) in [0, C). Its
// gradient is (softmax(logits) - onehot(target)) times the loss's gradient (divided by N for Mean).
template <class T>
Variable<T> cross_entropy(const Variable<T>& logits, const Labels& target, Reduction reduction = Reduction::Mean);

// With class weights, ignore_index and label_smoothing s in [0, 1], as LibTorch: the target
// distribution is (1 - s) * onehot(t) + s / C, so
//   loss_i = (1 - s) * nll_i + (s / C) * sum_c -weight[c] * log_softmax(logits)[i, c],
// 0 where ignored; Mean divides by the summed weights of the targets not ignored (both terms).
// (N, C) logits without weights, smoothing or ignored targets take the fused path above.
template <class T>
Variable<T> cross_entropy(const Variable<T>& logits, const Labels& target, const Variable<T>& weight,
                          Reduction reduction = Reduction::Mean, std::int64_t ignore_index = -100,
                          double label_smoothing = 0.0);

// (input - target)^2 elementwise, reduced over all elements. Both have the same shape (no
// broadcasting) and both receive a gradient. So do the three losses below.
template <class T>
Variable<T> mse_loss(const Variable<T>& input, const Variable<T>& target, Reduction reduction = Reduction::Mean);

// |input - target|.
template <class T>
Variable<T> l1_loss(const Variable<T>& input, const Variable<T>& target, Reduction reduction = Reduction::Mean);

// With d = |input - target|: 0.5 d^2 / beta where d < beta, d - 0.5 beta elsewhere; beta >= 0
// (0 gives l1_loss).
template <class T>
Variable<T> smooth_l1_loss(const Variable<T>& input, const Variable<T>& target, Reduction reduction = Reduction::Mean,
                           double beta = 1.0);

// With d = |input - target|: 0.5 d^2 where d < delta, delta (d - 0.5 delta) elsewhere; delta > 0.
template <class T>
Variable<T> huber_loss(const Variable<T>& input, const Variable<T>& target, Reduction reduction = Reduction::Mean,
                       double delta = 1.0);

// -weight * (target log(input) + (1 - target) log(1 - input)) with the logs clamped at -100, as
// LibTorch. input holds probabilities in [0, 1] (anything else throws); target has input's shape;
// weight (optional) broadcasts to it. Gradients reach input and target.
template <class T>
Variable<T> binary_cross_entropy(const Variable<T>& input, const Variable<T>& target,
                                 const Variable<T>& weight = Variable<T>(), Reduction reduction = Reduction::Mean);

// binary_cross_entropy(sigmoid(input), target) computed from the logits, stable at any scale:
//   weight * ((1 - target) x + (1 + (pos_weight - 1) target) softplus(-x)),
// with softplus(-x) = max(-x, 0) + log1p(exp(-|x|)). pos_weight weighs the positive term per class
// (shape (C,), broadcast along the last dim); weight and pos_weight broadcast to input's shape.
template <class T>
Variable<T> binary_cross_entropy_with_logits(const Variable<T>& input, const Variable<T>& target,
                                             const Variable<T>& weight = Variable<T>(),
                                             const Variable<T>& pos_weight = Variable<T>(),
                                             Reduction reduction = Reduction::Mean);

}  // namespace tg
