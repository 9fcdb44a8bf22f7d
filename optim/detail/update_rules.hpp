// The optimizers' update rules as loops over raw buffers (Adam's a SIMD kernel), for float and
// double, apart from the Optimizer classes (which find the buffers, count the steps and call these).
// Each rule follows LibTorch 1.13 (torch/csrc/api/src/optim/*.cpp) operation for operation: scalar
// coefficients are computed in double and rounded to T once, as ATen does with a Scalar on a T
// tensor, and each tensor op keeps ATen's order (add_(x, alpha) is a + alpha*x, addcmul_ a + (v*x)*y, addcdiv_ a + (v*x)/y).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include <tapegrad/kernels/dispatch.hpp>

namespace tg::optim::detail {

// SGD: d = g + weight_decay*p; with momentum, buf = d on the first step, else momentum*buf +
// (1-dampening)*d, and d = nesterov ? d + momentum*buf : buf; p += -lr*d.
struct SGDRule {
  double lr, momentum, dampening, weight_decay;
  bool nesterov;
};

// One loop per combination of options, each without a branch inside, so that the compiler
// vectorizes it (with the tests inside the loop it stayed scalar: 60 us a step for the MNIST MLP's
// 39760 parameters).
template <bool kDecay, bool kMomentum, bool kFirst, bool kNesterov, class T>
void sgd_loop(std::size_t n, T* param, const T* grad, T* momentum_buffer, T neg_lr, T decay, T momentum, T damp) {
  for (std::size_t k = 0; k < n; ++k) {
    T d = grad[k];
    if constexpr (kDecay) d = grad[k] + decay * param[k];
    if constexpr (kMomentum) {
      const T buf = kFirst ? d : momentum_buffer[k] * momentum + damp * d;
      momentum_buffer[k] = buf;
      d = kNesterov ? d + momentum * buf : buf;
    }
    param[k] = param[k] + neg_lr * d;
  }
}

template <bool kDecay, class T>
void sgd_loop_for(const SGDRule& r, bool momentum, bool first, std::size_t n, T* param, const T* grad, T* buffer, T neg_lr,
                  T decay, T m, T damp) {
  if (!momentum) return sgd_loop<kDecay, false, false, false>(n, param, grad, buffer, neg_lr, decay, m, damp);
  if (first && r.nesterov) return sgd_loop<kDecay, true, true, true>(n, param, grad, buffer, neg_lr, decay, m, damp);
  if (first) return sgd_loop<kDecay, true, true, false>(n, param, grad, buffer, neg_lr, decay, m, damp);
  if (r.nesterov) return sgd_loop<kDecay, true, false, true>(n, param, grad, buffer, neg_lr, decay, m, damp);
  sgd_loop<kDecay, true, false, false>(n, param, grad, buffer, neg_lr, decay, m, damp);
}

// momentum_buffer is null when momentum is 0.
template <class T>
void sgd_update(const SGDRule& r, std::size_t n, T* param, const T* grad, T* momentum_buffer, bool first_step) {
  const T neg_lr = static_cast<T>(-r.lr), decay = static_cast<T>(r.weight_decay);
  const T momentum = static_cast<T>(r.momentum), damp = static_cast<T>(1.0 - r.dampening);
  const bool m = momentum_buffer != nullptr;
  if (r.weight_decay != 0) sgd_loop_for<true>(r, m, first_step, n, param, grad, momentum_buffer, neg_lr, decay, momentum, damp);
  else sgd_loop_for<false>(r, m, first_step, n, param, grad, momentum_buffer, neg_lr, decay, momentum, damp);
}

// Adam (decoupled = false) and AdamW (decoupled = true), at step t (1 on the first step):
//   Adam:  g = g + weight_decay*p          AdamW: p = p * (1 - lr*weight_decay)
//   m = beta1*m + (1-beta1)*g;  v = beta2*v + (1-beta2)*g*g;  with amsgrad, v_max = max(v_max, v)
//   p += -(lr / (1 - beta1^t)) * m / (sqrt(v or v_max) / sqrt(1 - beta2^t) + eps)
struct AdamRule {
  double lr, beta1, beta2, eps, weight_decay;
  bool decoupled;
  std::int64_t step;
};

// max_exp_avg_sq is null without amsgrad. The loop is a SIMD kernel (kernels/adam.hpp).
template <class T>
void adam_update(const AdamRule& r, std::size_t n, T* param, const T* grad, T* exp_avg, T* exp_avg_sq,
                 T* max_exp_avg_sq) {
  const double t = static_cast<double>(r.step);
  const double bias_correction1 = 1 - std::pow(r.beta1, t), bias_correction2 = 1 - std::pow(r.beta2, t);
  kernels::AdamCoefficients<T> c;
  c.beta1 = static_cast<T>(r.beta1), c.one_minus_beta1 = static_cast<T>(1 - r.beta1);
  c.beta2 = static_cast<T>(r.beta2), c.one_minus_beta2 = static_cast<T>(1 - r.beta2);
  c.sqrt_bias_correction2 = static_cast<T>(std::sqrt(bias_correction2)), c.eps = static_cast<T>(r.eps);
  c.neg_step_size = static_cast<T>(-(r.lr / bias_correction1));
  c.coupled_decay = static_cast<T>(r.decoupled ? 0.0 : r.weight_decay);
  c.decoupled_scale = static_cast<T>(1 - r.lr * r.weight_decay);
  c.coupled = !r.decoupled && r.weight_decay != 0, c.decoupled = r.decoupled && r.weight_decay != 0;
  kernels::adam_update(c, n, param, grad, exp_avg, exp_avg_sq, max_exp_avg_sq);
}

// RMSprop: g = g + weight_decay*p; s = alpha*s + (1-alpha)*g*g; centered: a = alpha*a + (1-alpha)*g,
// avg = sqrt(s - a*a) + eps, else avg = sqrt(s) + eps; with momentum, buf = momentum*buf + g/avg and
// p += -lr*buf, else p += -lr*g/avg.
struct RMSpropRule {
  double lr, alpha, eps, weight_decay, momentum;
  bool centered;
};

// momentum_buffer is null when momentum is 0, grad_avg null unless centered.
template <class T>
void rmsprop_update(const RMSpropRule& r, std::size_t n, T* param, const T* grad, T* square_avg, T* momentum_buffer,
                    T* grad_avg) {
  const T alpha = static_cast<T>(r.alpha), one_minus_alpha = static_cast<T>(1 - r.alpha);
  const T eps = static_cast<T>(r.eps), decay = static_cast<T>(r.weight_decay);
  const T momentum = static_cast<T>(r.momentum), neg_lr = static_cast<T>(-r.lr);
  for (std::size_t k = 0; k < n; ++k) {
    const T g = r.weight_decay != 0 ? grad[k] + decay * param[k] : grad[k];
    square_avg[k] = square_avg[k] * alpha + one_minus_alpha * g * g;
    T avg;
    if (grad_avg) {
      grad_avg[k] = grad_avg[k] * alpha + one_minus_alpha * g;
      avg = std::sqrt(square_avg[k] + T(-1) * grad_avg[k] * grad_avg[k]) + eps;
    } else {
      avg = std::sqrt(square_avg[k]) + eps;
    }
    if (momentum_buffer) {
      momentum_buffer[k] = momentum_buffer[k] * momentum + T(1) * g / avg;
      param[k] = param[k] + neg_lr * momentum_buffer[k];
    } else {
      param[k] = param[k] + neg_lr * g / avg;
    }
  }
}

// Adagrad at step t (1 on the first): g = g + weight_decay*p; sum += g*g;
// p += -(lr / (1 + (t-1)*lr_decay)) * g / (sqrt(sum) + eps).
struct AdagradRule {
  double lr, lr_decay, weight_decay, eps;
  std::int64_t step;
};

template <class T>
void adagrad_update(const AdagradRule& r, std::size_t n, T* param, const T* grad, T* sum) {
  const T neg_clr = static_cast<T>(-(r.lr / (1 + static_cast<double>(r.step - 1) * r.lr_decay)));
  const T eps = static_cast<T>(r.eps), decay = static_cast<T>(r.weight_decay);
  for (std::size_t k = 0; k < n; ++k) {
    const T g = r.weight_decay != 0 ? grad[k] + decay * param[k] : grad[k];
    sum[k] = sum[k] + T(1) * g * g;
    param[k] = param[k] + neg_clr * g / (std::sqrt(sum[k]) + eps);
  }
}

}  // namespace tg::optim::detail
