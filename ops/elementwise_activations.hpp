// The elementwise activations beyond relu, leaky_relu, sigmoid, tanh and gelu, with torch's
// formulas and its gradients at the kinks (one side's slope, or 0 where torch takes 0). Each
// backward works from the input, which it keeps (rrelu's from the slopes it drew).
#pragma once

#include <tapegrad/core/variable.hpp>

namespace tg {

// x for x > 0, alpha·(eˣ - 1) otherwise.
template <class T> Variable<T> elu(const Variable<T>& x, double alpha = 1.0);
// scale·elu(x, alpha) with torch's fixed scale ≈ 1.0507 and alpha ≈ 1.6733.
template <class T> Variable<T> selu(const Variable<T>& x);
// x for x > 0, alpha·(e^(x/alpha) - 1) otherwise; alpha 0 throws.
template <class T> Variable<T> celu(const Variable<T>& x, double alpha = 1.0);
template <class T> Variable<T> silu(const Variable<T>& x);  // x·sigmoid(x)
template <class T> Variable<T> mish(const Variable<T>& x);  // x·tanh(softplus(x))
// log(1 + e^(beta·x)) / beta, and x itself where beta·x > threshold (no overflow).
template <class T> Variable<T> softplus(const Variable<T>& x, double beta = 1.0, double threshold = 20.0);
// x clamped to [min_val, max_val]; the gradient is 0 at both ends.
template <class T> Variable<T> hardtanh(const Variable<T>& x, double min_val = -1.0, double max_val = 1.0);
template <class T> Variable<T> relu6(const Variable<T>& x);        // hardtanh(x, 0, 6)
template <class T> Variable<T> hardsigmoid(const Variable<T>& x);  // relu6(x + 3) / 6
template <class T> Variable<T> hardswish(const Variable<T>& x);    // x·relu6(x + 3) / 6
// log(sigmoid(x)), as min(x, 0) - log(1 + e^-|x|): finite for any finite x. torch::log_sigmoid.
template <class T> Variable<T> log_sigmoid(const Variable<T>& x);
template <class T> Variable<T> softsign(const Variable<T>& x);    // x / (1 + |x|)
template <class T> Variable<T> tanhshrink(const Variable<T>& x);  // x - tanh(x)
// x - lambda above lambda, x + lambda below -lambda, 0 between; lambda < 0 throws.
template <class T> Variable<T> softshrink(const Variable<T>& x, double lambda = 0.5);
// x outside [-lambda, lambda], 0 inside.
template <class T> Variable<T> hardshrink(const Variable<T>& x, double lambda = 0.5);
// x above threshold, value at and below it; the gradient is 0 there. torch::threshold.
template <class T> Variable<T> threshold(const Variable<T>& x, double threshold, double value);
// Randomized leaky relu, torch::rrelu. In training each x <= 0 is scaled by its own slope, drawn
// uniformly from [lower, upper) with this thread's engine (core/random.hpp), which is also its
// gradient; out of training it is leaky_relu with the slope (lower + upper) / 2. lower > upper throws,
// in both, as torch's.
template <class T>
Variable<T> rrelu(const Variable<T>& x, double lower = 1.0 / 8.0, double upper = 1.0 / 3.0, bool training = false);

}  // namespace tg
