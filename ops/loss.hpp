// Losses with torch's semantics: nll_loss, cross_entropy (log_softmax + nll fused, stable at any
// logit scale) and mse_loss. Mean and Sum give a 0-d scalar; None keeps one loss per sample (N,)
// for nll_loss and cross_entropy, per element (input's shape) for mse_loss.
#pragma once

#include <tapegrad/core/variable.hpp>

namespace tg {

enum class Reduction { None, Mean, Sum };

// -log_probs[i, target[i]], reduced over the batch: log_probs is (N, C), target (N,) in [0, C).
template <class T>
Variable<T> nll_loss(const Variable<T>& log_probs, const Labels& target, Reduction reduction = Reduction::Mean);

// nll_loss(log_softmax(logits, 1), target) as one op: logits is (N, C), target (N,) in [0, C). Its
// gradient is (softmax(logits) - onehot(target)) times the loss's gradient (divided by N for Mean).
template <class T>
Variable<T> cross_entropy(const Variable<T>& logits, const Labels& target, Reduction reduction = Reduction::Mean);

// (input - target)^2 elementwise, reduced over all elements. Both have the same shape (no
// broadcasting) and both receive a gradient.
template <class T>
Variable<T> mse_loss(const Variable<T>& input, const Variable<T>& target, Reduction reduction = Reduction::Mean);

}  // namespace tg
