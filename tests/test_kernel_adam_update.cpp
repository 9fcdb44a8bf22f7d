// The Adam kernel (kernels/adam.hpp: SIMD vectors, then a scalar tail), through the optimizers' call
// optim::detail::adam_update, against a naive loop of the same formula in long double, at lengths
// around the vector widths, with and without coupled or decoupled weight decay and AMSGrad (ctest's
// kernels_on_<level> run it on every SIMD level).
#include <tapegrad/optim/detail/update_rules.hpp>

#include <string>

#include "check.hpp"
#include "kernel_check.hpp"

namespace {

using tg::optim::detail::AdamRule;

// LibTorch's Adam step on one element, in its op order.
template <class T>
void naive_adam(const AdamRule& r, T& p, T g, T& m, T& v, T* v_max) {
  const double bc1 = 1 - std::pow(r.beta1, double(r.step)), bc2 = 1 - std::pow(r.beta2, double(r.step));
  if (r.decoupled && r.weight_decay != 0) p = p * T(1 - r.lr * r.weight_decay);
  if (!r.decoupled && r.weight_decay != 0) g = g + T(r.weight_decay) * p;
  m = m * T(r.beta1) + T(1 - r.beta1) * g;
  v = v * T(r.beta2) + T(1 - r.beta2) * g * g;
  T used = v;
  if (v_max) used = *v_max = std::max(*v_max, v);
  p = p + T(-(r.lr / bc1)) * m / (std::sqrt(used) / T(std::sqrt(bc2)) + T(r.eps));
}

template <class T>
void check_adam_update() {
  for (const std::size_t n : {0, 1, 3, 4, 7, 8, 9, 17, 100}) {
    for (const int mode : {0, 1, 2}) {  // no decay, coupled (Adam), decoupled (AdamW)
      for (const bool amsgrad : {false, true}) {
        const AdamRule rule{1e-2, 0.9, 0.999, 1e-8, mode ? 0.1 : 0.0, mode == 2, 3};
        std::vector<T> p = tgtest::random_buffer<T>(n, 1), g = tgtest::random_buffer<T>(n, 2);
        std::vector<T> m = tgtest::random_buffer<T>(n, 3), v = tgtest::random_buffer<T>(n, 4);
        for (T& x : v) x = x * x;
        std::vector<T> v_max = v;
        for (T& x : v_max) x = x * T(1.5);
        using L = long double;
        std::vector<L> p2(p.begin(), p.end()), m2(m.begin(), m.end()), v2(v.begin(), v.end());
        std::vector<L> v_max2(v_max.begin(), v_max.end());
        tg::optim::detail::adam_update<T>(rule, n, p.data(), g.data(), m.data(), v.data(),
                                          amsgrad ? v_max.data() : nullptr);
        for (std::size_t k = 0; k < n; ++k)
          naive_adam<L>(rule, p2[k], g[k], m2[k], v2[k], amsgrad ? &v_max2[k] : nullptr);
        const std::string what = "n=" + std::to_string(n) + " mode=" + std::to_string(mode) +
                                 (amsgrad ? " amsgrad" : "");
        tgtest::check_near(p, p2, "param " + what);
        tgtest::check_near(m, m2, "exp_avg " + what);
        tgtest::check_near(v, v2, "exp_avg_sq " + what);
        tgtest::check_near(v_max, v_max2, "max_exp_avg_sq " + what);
      }
    }
  }
}

}  // namespace

TEST_CASE("kernel adam_update: SIMD and tail agree with a naive loop (float, double)") {
  check_adam_update<float>();
  check_adam_update<double>();
}
