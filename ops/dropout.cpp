#include <tapegrad/ops/dropout.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <tapegrad/core/random.hpp>
#include <tapegrad/core/tape.hpp>
#include <tapegrad/ops/tensor_ops.hpp>

namespace tg {

namespace {

void check_p(const char* op, double p) {
  if (!(p >= 0.0 && p <= 1.0)) throw Error(std::string(op) + ": dropout probability has to be between 0 and 1, but got " + std::to_string(p));
}

// `groups` factors, each 0 or 1/(1-p), kept with probability 1-p. One 64-bit draw serves two groups:
// an element is kept when its 32-bit half is at least p·2^32 (so p is honoured to 2^-32).
template <class T>
std::shared_ptr<std::vector<T>> draw_mask(std::size_t groups, double p) {
  // 1/(1-p) computed in T, as LibTorch divides its float noise by (1-p).
  const T scale = p < 1.0 ? T(1) / T(1.0 - p) : T(0);
  const std::uint64_t threshold = static_cast<std::uint64_t>(p * 4294967296.0);
  auto mask = std::make_shared<std::vector<T>>(groups);
  T* m = mask->data();
  std::mt19937_64& engine = generator();
  std::size_t k = 0;
  for (; k + 2 <= groups; k += 2) {
    const std::uint64_t bits = engine();
    m[k] = (bits & 0xffffffffu) >= threshold ? scale : T(0);
    m[k + 1] = (bits >> 32) >= threshold ? scale : T(0);
  }
  if (k < groups) m[k] = (engine() & 0xffffffffu) >= threshold ? scale : T(0);
  return mask;
}

// y = x · mask, the mask repeated over runs of `run` elements; its gradient is g · mask. A multiply
// rather than a select, so a NaN that is dropped stays NaN (as LibTorch's input * noise).
template <class T>
Variable<T> apply_mask(const char* op, const Variable<T>& x, std::size_t groups, std::size_t run, double p) {
  auto mask = draw_mask<T>(groups, p);
  Array<T> y = Array<T>::from_shape(x.shape());
  const T* xs = x.value().data();
  T* ys = y.data();
  const T* m = mask->data();
  for (std::size_t gi = 0; gi < groups; ++gi)
    for (std::size_t k = gi * run; k < (gi + 1) * run; ++k) ys[k] = xs[k] * m[gi];
  return record<T>(op, std::move(y), {x}, [mask, groups, run](Array<T>& g, Grads<T>& grads) {
    T* gs = g.data();
    const T* m = mask->data();
    for (std::size_t gi = 0; gi < groups; ++gi)
      for (std::size_t k = gi * run; k < (gi + 1) * run; ++k) gs[k] *= m[gi];
    grads.add(0, std::move(g));
  });
}

}  // namespace

template <class T>
Variable<T> dropout(const Variable<T>& x, double p, bool training) {
  check_p("dropout", p);
  if (!training || p == 0.0) return x;
  return apply_mask("dropout", x, x.numel(), 1, p);
}

template <class T>
Variable<T> dropout2d(const Variable<T>& x, double p, bool training) {
  check_p("dropout2d", p);
  if (x.dim() != 3 && x.dim() != 4)
    throw Error("dropout2d: expected input (N, C, H, W) or (C, H, W), got " + shape_str(x.shape()));
  if (!training || p == 0.0) return x;
  const Shape& s = x.shape();
  const std::size_t groups = x.dim() == 4 ? s[0] * s[1] : s[0];
  const std::size_t run = s[x.dim() - 2] * s[x.dim() - 1];
  return apply_mask("dropout2d", x, groups, run, p);
}

#define TG_INSTANTIATE(T)                                            \
  template Variable<T> dropout(const Variable<T>&, double, bool);   \
  template Variable<T> dropout2d(const Variable<T>&, double, bool);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)
#undef TG_INSTANTIATE

}  // namespace tg

namespace tg::nn::functional {

Tensor dropout(const Tensor& x, const DropoutFuncOptions& options) {
  return tg::dropout(x, options.p(), options.training());
}

Tensor dropout2d(const Tensor& x, const Dropout2dFuncOptions& options) {
  return tg::feature_dropout(x, options.p(), options.training());
}

}  // namespace tg::nn::functional
