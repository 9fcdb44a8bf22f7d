// The optimizers' update rules as loops over raw buffers (SGD's and Adam's SIMD kernels), for float
// and double, apart from the Optimizer classes (which find the buffers, count the steps and call
// these). Every rule is elementwise, so a large parameter's update is split over the thread pool.
// Each rule follows LibTorch 1.13 (torch/csrc/api/src/optim/*.cpp) operation for operation: scalar
// coefficients are computed in double and rounded to T once, as ATen does with a Scalar on a T
// tensor, and each tensor op keeps ATen's order (add_(x, alpha) is a + alpha*x, addcmul_ a + (v*x)*y, addcdiv_ a + (v*x)/y).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include <tapegrad/core/thread_pool.hpp>
#include <tapegrad/kernels/dispatch.hpp>

namespace tg::optim::detail {

// update(k, count) on consecutive chunks covering [0, n), over the thread pool.
template <class Update>
void in_chunks(std::size_t n, const Update& update) {
  parallel_for(0, static_cast<std::int64_t>(n), kElementwiseGrain, [&](std::int64_t b, std::int64_t e) {
    update(static_cast<std::size_t>(b), static_cast<std::size_t>(e - b));
  });
}

// SGD: d = g + weight_decay*p; with momentum, buf = d on the first step, else momentum*buf +
// (1-dampening)*d, and d = nesterov ? d + momentum*buf : buf; p += -lr*d.
struct SGDRule {
  double lr, momentum, dampening, weight_decay;
  bool nesterov;
};

// momentum_buffer is null when momentum is 0.
template <class T>
void sgd_update(const SGDRule& r, std::size_t n, T* param, const T* grad, T* momentum_buffer, bool first_step) {
  kernels::SGDCoefficients<T> c;
  c.neg_lr = static_cast<T>(-r.lr), c.weight_decay = static_cast<T>(r.weight_decay);
  c.momentum = static_cast<T>(r.momentum), c.one_minus_dampening = static_cast<T>(1.0 - r.dampening);
  c.decay = r.weight_decay != 0, c.nesterov = r.nesterov, c.first_step = first_step;
  in_chunks(n, [&](std::size_t k, std::size_t count) {
    kernels::sgd_update(c, count, param + k, grad + k, momentum_buffer ? momentum_buffer + k : nullptr);
  });
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
  in_chunks(n, [&](std::size_t k, std::size_t count) {
    kernels::adam_update(c, count, param + k, grad + k, exp_avg + k, exp_avg_sq + k,
                         max_exp_avg_sq ? max_exp_avg_sq + k : nullptr);
  });
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
  in_chunks(n, [&](std::size_t begin, std::size_t count) {
    for (std::size_t k = begin; k < begin + count; ++k) {
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
  });
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
  in_chunks(n, [&](std::size_t begin, std::size_t count) {
    for (std::size_t k = begin; k < begin + count; ++k) {
      const T g = r.weight_decay != 0 ? grad[k] + decay * param[k] : grad[k];
      sum[k] = sum[k] + T(1) * g * g;
      param[k] = param[k] + neg_clr * g / (std::sqrt(sum[k]) + eps);
    }
  });
}

}  // namespace tg::optim::detail
