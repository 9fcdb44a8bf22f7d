// The SGD kernel (kernels/sgd.hpp: SIMD vectors, then a scalar tail), through the optimizers' call
// optim::detail::sgd_update, against a naive loop of the same formula in long double, at lengths
// around the vector widths and past the pool's chunk size, with and without weight decay, momentum,
// dampening and Nesterov (ctest's kernels_on_<level> run it on every SIMD level).
#include <tapegrad/optim/detail/update_rules.hpp>

#include <string>

#include <tapegrad/core/threads.hpp>

#include "check.hpp"
#include "kernel_check.hpp"

namespace {

using tg::optim::detail::SGDRule;

// LibTorch's SGD step on one element, in its op order.
template <class T>
void naive_sgd(const SGDRule& r, T& p, T d, T* buf, bool first_step) {
  if (r.weight_decay != 0) d = d + T(r.weight_decay) * p;
  if (buf) {
    *buf = first_step ? d : *buf * T(r.momentum) + T(1 - r.dampening) * d;
    d = r.nesterov ? d + T(r.momentum) * *buf : *buf;
  }
  p = p + T(-r.lr) * d;
}

template <class T>
void check_sgd_update() {
  const std::size_t chunked = 2 * static_cast<std::size_t>(tg::kElementwiseGrain) + 5;
  for (const std::size_t n : {std::size_t(0), std::size_t(1), std::size_t(3), std::size_t(4), std::size_t(7),
                              std::size_t(8), std::size_t(9), std::size_t(17), std::size_t(100), chunked}) {
    const SGDRule rules[] = {{0.1, 0, 0, 0, false},       // plain
                             {0.1, 0, 0, 0.01, false},    // weight decay
                             {0.1, 0.9, 0.2, 0, false},   // momentum with dampening
                             {0.1, 0.9, 0, 0.01, true}};  // Nesterov with weight decay
    for (const SGDRule& rule : rules) {
      for (const bool first_step : {true, false}) {
        std::vector<T> p = tgtest::random_buffer<T>(n, 1), g = tgtest::random_buffer<T>(n, 2);
        std::vector<T> buf = tgtest::random_buffer<T>(n, 3);
        using L = long double;
        std::vector<L> p2(p.begin(), p.end()), buf2(buf.begin(), buf.end());
        const bool momentum = rule.momentum != 0;
        tg::optim::detail::sgd_update<T>(rule, n, p.data(), g.data(), momentum ? buf.data() : nullptr, first_step);
        for (std::size_t k = 0; k < n; ++k) naive_sgd<L>(rule, p2[k], g[k], momentum ? &buf2[k] : nullptr, first_step);
        const std::string what = "n=" + std::to_string(n) + " lr=0.1 momentum=" + std::to_string(rule.momentum) +
                                 " weight_decay=" + std::to_string(rule.weight_decay) +
                                 (rule.nesterov ? " nesterov" : "") + (first_step ? " first step" : "");
        tgtest::check_near(p, p2, "param " + what);
        if (momentum) tgtest::check_near(buf, buf2, "momentum_buffer " + what);
      }
    }
  }
}

}  // namespace

TEST_CASE("kernel sgd_update: SIMD and tail agree with a naive loop (float, double), on 1 and 2 threads") {
  for (const int threads : {1, 2}) {
    tg::set_num_threads(threads);
    check_sgd_update<float>();
    check_sgd_update<double>();
  }
  tg::set_num_threads(1);
}
