// One SGD step over a parameter's buffers, a SIMD vector at a time, then one element at a time, the
// same operations in the same order either way; the coefficients come precomputed
// (optim/detail/update_rules.hpp says the rule and its op order, LibTorch 1.13's).
#pragma once

#include <cstddef>
#include <type_traits>

#include <tapegrad/kernels/simd.hpp>
#include <tapegrad/kernels/table.hpp>

namespace tg::kernels::TG_SIMD_ARCH {

// momentum_buffer is null when momentum is 0.
template <class T>
void sgd_update(const SGDCoefficients<T>& c, std::size_t n, T* param, const T* grad, T* momentum_buffer) {
  // U is T or Vec<T>; p and buf are updated in place.
  const auto update = [&c](auto& p, auto d, auto* buf) {
    using U = std::decay_t<decltype(d)>;
    if (c.decay) d = d + U(c.weight_decay) * p;
    if (buf) {
      *buf = c.first_step ? d : *buf * U(c.momentum) + U(c.one_minus_dampening) * d;
      d = c.nesterov ? d + U(c.momentum) * *buf : *buf;
    }
    p = p + U(c.neg_lr) * d;
  };
  using V = Vec<T>;
  std::size_t k = 0;
  for (; k + kLanes<T> <= n; k += kLanes<T>) {
    V p = V::load_unaligned(param + k);
    V buf = momentum_buffer ? V::load_unaligned(momentum_buffer + k) : V(T(0));
    update(p, V::load_unaligned(grad + k), momentum_buffer ? &buf : nullptr);
    p.store_unaligned(param + k);
    if (momentum_buffer) buf.store_unaligned(momentum_buffer + k);
  }
  for (; k < n; ++k) update(param[k], grad[k], momentum_buffer ? momentum_buffer + k : nullptr);
}

}  // namespace tg::kernels::TG_SIMD_ARCH
