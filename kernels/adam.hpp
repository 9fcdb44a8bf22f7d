// One Adam (or AdamW) step over a parameter's buffers, a SIMD vector at a time, then one element at a
// time, the same operations in the same order either way; the coefficients come precomputed
// (optim/detail/update_rules.hpp says the rule and its op order, LibTorch 1.13's).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <type_traits>

#include <tapegrad/kernels/simd.hpp>
#include <tapegrad/kernels/table.hpp>

namespace tg::kernels::TG_SIMD_ARCH {

// Square root and maximum of one element or of a vector of them.
template <class T>
T simd_sqrt(T x) { return std::sqrt(x); }
template <class T, class A>
xsimd::batch<T, A> simd_sqrt(const xsimd::batch<T, A>& x) { return xsimd::sqrt(x); }
template <class T>
T simd_max(T a, T b) { return std::max(a, b); }
template <class T, class A>
xsimd::batch<T, A> simd_max(const xsimd::batch<T, A>& a, const xsimd::batch<T, A>& b) { return xsimd::max(a, b); }

// max_exp_avg_sq is null without amsgrad.
template <class T>
void adam_update(const AdamCoefficients<T>& c, std::size_t n, T* param, const T* grad, T* exp_avg, T* exp_avg_sq,
                 T* max_exp_avg_sq) {
  // U is T or Vec<T>; p, m, v and v_max are updated in place.
  const auto update = [&c](auto& p, auto g, auto& m, auto& v, auto* v_max) {
    using U = std::decay_t<decltype(g)>;
    if (c.decoupled) p = p * U(c.decoupled_scale);
    if (c.coupled) g = g + U(c.coupled_decay) * p;
    m = m * U(c.beta1) + U(c.one_minus_beta1) * g;
    v = v * U(c.beta2) + U(c.one_minus_beta2) * g * g;
    U v_used = v;
    if (v_max) v_used = *v_max = simd_max(*v_max, v_used);
    const U denom = simd_sqrt(v_used) / U(c.sqrt_bias_correction2) + U(c.eps);
    p = p + U(c.neg_step_size) * m / denom;
  };
  using V = Vec<T>;
  std::size_t k = 0;
  for (; k + kLanes<T> <= n; k += kLanes<T>) {
    V p = V::load_unaligned(param + k), m = V::load_unaligned(exp_avg + k), v = V::load_unaligned(exp_avg_sq + k);
    V v_max = max_exp_avg_sq ? V::load_unaligned(max_exp_avg_sq + k) : V(T(0));
    update(p, V::load_unaligned(grad + k), m, v, max_exp_avg_sq ? &v_max : nullptr);
    p.store_unaligned(param + k), m.store_unaligned(exp_avg + k), v.store_unaligned(exp_avg_sq + k);
    if (max_exp_avg_sq) v_max.store_unaligned(max_exp_avg_sq + k);
  }
  for (; k < n; ++k) update(param[k], grad[k], exp_avg[k], exp_avg_sq[k], max_exp_avg_sq ? max_exp_avg_sq + k : nullptr);
}

}  // namespace tg::kernels::TG_SIMD_ARCH
