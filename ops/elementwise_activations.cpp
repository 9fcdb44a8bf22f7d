#include <tapegrad/ops/elementwise_activations.hpp>

#include <algorithm>
#include <cmath>
#include <memory>
#include <sstream>

#include <tapegrad/core/random.hpp>
#include <tapegrad/core/tape.hpp>
#include <tapegrad/ops/activations.hpp>

namespace tg {
namespace {

// y = f(x) elementwise; the backward multiplies the output gradient by df(x).
template <class T, class Fn, class DFn>
Variable<T> pointwise(const char* op, const Variable<T>& x, Fn f, DFn df) {
  Array<T> y = Array<T>::from_shape(x.shape());
  const T* xs = x.value().data();
  T* ys = y.data();
  const std::size_t n = y.size();
  for (std::size_t k = 0; k < n; ++k) ys[k] = f(xs[k]);
  return record<T>(op, std::move(y), {x}, [xv = x.value_ptr(), df](Array<T>& g, Grads<T>& grads) {
    const T* xs = xv->data();
    T* gs = g.data();
    const std::size_t n = g.size();
    for (std::size_t k = 0; k < n; ++k) gs[k] *= df(xs[k]);
    grads.add(0, std::move(g));
  });
}

// 1 / (1 + e^-v): saturates to 0 or 1 without NaN.
template <class T>
T logistic(T v) {
  return T(1) / (T(1) + std::exp(-v));
}

// torch's elu kernel, which elu, selu and celu share: scale·v above 0, scale·alpha·(e^(input_scale·v) - 1)
// at and below it (the slope at 0 is the left one, as torch).
template <class T>
Variable<T> scaled_elu(const char* op, const Variable<T>& x, T alpha, T scale, T input_scale) {
  return pointwise(
      op, x, [=](T v) { return v > T(0) ? scale * v : scale * alpha * std::expm1(input_scale * v); },
      [=](T v) { return v > T(0) ? scale : scale * alpha * input_scale * std::exp(input_scale * v); });
}

// log(1 + e^v) without overflow: max(v, 0) + log(1 + e^-|v|).
template <class T>
T stable_softplus(T v) {
  return std::max(v, T(0)) + std::log1p(std::exp(-std::abs(v)));
}

}  // namespace

template <class T>
Variable<T> elu(const Variable<T>& x, double alpha) {
  return scaled_elu("elu", x, T(alpha), T(1), T(1));
}

template <class T>
Variable<T> selu(const Variable<T>& x) {
  // The constants of Klambauer et al., as torch spells them.
  return scaled_elu("selu", x, T(1.6732632423543772848170429916717), T(1.0507009873554804934193349852946), T(1));
}

template <class T>
Variable<T> celu(const Variable<T>& x, double alpha) {
  if (alpha == 0.0) throw Error("celu: alpha cannot be 0 (it divides the input), as in LibTorch");
  return scaled_elu("celu", x, T(alpha), T(1), T(1.0 / alpha));
}

template <class T>
Variable<T> silu(const Variable<T>& x) {
  return pointwise(
      "silu", x, [](T v) { return v * logistic(v); },
      [](T v) {
        const T s = logistic(v);
        return s * (T(1) + v * (T(1) - s));
      });
}

template <class T>
Variable<T> mish(const Variable<T>& x) {
  return pointwise(
      "mish", x, [](T v) { return v * std::tanh(stable_softplus(v)); },
      [](T v) {
        const T t = std::tanh(stable_softplus(v));
        return t + v * logistic(v) * (T(1) - t * t);
      });
}

template <class T>
Variable<T> softplus(const Variable<T>& x, double beta, double threshold) {
  const T b = T(beta), limit = T(threshold);
  // Above the threshold the result is x itself, as torch's (log1p(e^(b·x)) would overflow).
  return pointwise(
      "softplus", x, [=](T v) { return v * b > limit ? v : std::log1p(std::exp(v * b)) / b; },
      [=](T v) { return v * b > limit ? T(1) : logistic(v * b); });
}

template <class T>
Variable<T> hardtanh(const Variable<T>& x, double min_val, double max_val) {
  const T lo = T(min_val), hi = T(max_val);
  return pointwise(
      "hardtanh", x, [=](T v) { return std::min(std::max(v, lo), hi); },  // NaN stays NaN
      [=](T v) { return v <= lo || v >= hi ? T(0) : T(1); });
}

template <class T>
Variable<T> relu6(const Variable<T>& x) {
  return hardtanh(x, 0.0, 6.0);
}

template <class T>
Variable<T> hardsigmoid(const Variable<T>& x) {
  return pointwise(
      "hardsigmoid", x, [](T v) { return std::min(std::max(v + T(3), T(0)), T(6)) / T(6); },
      [](T v) { return v > T(-3) && v < T(3) ? T(1) / T(6) : T(0); });
}

template <class T>
Variable<T> hardswish(const Variable<T>& x) {
  // torch's slope at -3 is the middle piece's (-1/2), at 3 too (3/2).
  return pointwise(
      "hardswish", x, [](T v) { return v * std::min(std::max(v + T(3), T(0)), T(6)) / T(6); },
      [](T v) { return v < T(-3) ? T(0) : v <= T(3) ? v / T(3) + T(0.5) : T(1); });
}

template <class T>
Variable<T> log_sigmoid(const Variable<T>& x) {
  return pointwise(
      "log_sigmoid", x, [](T v) { return std::min(v, T(0)) - std::log1p(std::exp(-std::abs(v))); },
      [](T v) { return logistic(-v); });
}

template <class T>
Variable<T> softsign(const Variable<T>& x) {
  return pointwise(
      "softsign", x, [](T v) { return v / (T(1) + std::abs(v)); },
      [](T v) {
        const T d = T(1) + std::abs(v);
        return T(1) / (d * d);
      });
}

template <class T>
Variable<T> tanhshrink(const Variable<T>& x) {
  return pointwise(
      "tanhshrink", x, [](T v) { return v - std::tanh(v); },
      [](T v) {
        const T t = std::tanh(v);
        return t * t;
      });
}

template <class T>
Variable<T> softshrink(const Variable<T>& x, double lambda) {
  if (!(lambda >= 0.0)) {
    std::ostringstream got;
    got << lambda;
    throw Error("softshrink: lambda must be greater or equal to 0, got " + got.str());
  }
  const T l = T(lambda);
  // NaN falls through to 0, as torch's kernel.
  return pointwise(
      "softshrink", x, [=](T v) { return v > l ? v - l : v < -l ? v + l : T(0); },
      [=](T v) { return v >= -l && v <= l ? T(0) : T(1); });
}

template <class T>
Variable<T> hardshrink(const Variable<T>& x, double lambda) {
  const T l = T(lambda);
  return pointwise(
      "hardshrink", x, [=](T v) { return v >= -l && v <= l ? T(0) : v; },
      [=](T v) { return v >= -l && v <= l ? T(0) : T(1); });
}

template <class T>
Variable<T> threshold(const Variable<T>& x, double threshold, double value) {
  const T t = T(threshold), v = T(value);
  // NaN is not above the threshold, so it becomes value, as torch's kernel.
  return pointwise(
      "threshold", x, [=](T u) { return u > t ? u : v; }, [=](T u) { return u > t ? T(1) : T(0); });
}

template <class T>
Variable<T> rrelu(const Variable<T>& x, double lower, double upper, bool training) {
  if (!(lower <= upper)) {
    std::ostringstream got;
    got << "lower=" << lower << " and upper=" << upper;
    throw Error("rrelu: the lower bound must not exceed the upper bound, got " + got.str());
  }
  if (!training) return leaky_relu(x, T((lower + upper) / 2.0));
  // One draw per non-positive element, in order, as torch's CPU kernel.
  auto slopes = std::make_shared<Array<T>>(Array<T>::from_shape(x.shape()));
  Array<T> y = Array<T>::from_shape(x.shape());
  const T* xs = x.value().data();
  T* ss = slopes->data();
  T* ys = y.data();
  std::uniform_real_distribution<double> slope(lower, upper);
  for (std::size_t k = 0; k < y.size(); ++k) {
    ss[k] = xs[k] <= T(0) ? T(slope(generator())) : T(1);
    ys[k] = xs[k] * ss[k];
  }
  return record<T>("rrelu", std::move(y), {x}, [slopes](Array<T>& g, Grads<T>& grads) {
    const T* ss = slopes->data();
    T* gs = g.data();
    for (std::size_t k = 0; k < g.size(); ++k) gs[k] *= ss[k];
    grads.add(0, std::move(g));
  });
}

#define TG_INSTANTIATE(T)                                                  \
  template Variable<T> elu(const Variable<T>&, double);                    \
  template Variable<T> selu(const Variable<T>&);                           \
  template Variable<T> celu(const Variable<T>&, double);                   \
  template Variable<T> silu(const Variable<T>&);                           \
  template Variable<T> mish(const Variable<T>&);                           \
  template Variable<T> softplus(const Variable<T>&, double, double);       \
  template Variable<T> hardtanh(const Variable<T>&, double, double);       \
  template Variable<T> relu6(const Variable<T>&);                          \
  template Variable<T> hardsigmoid(const Variable<T>&);                    \
  template Variable<T> hardswish(const Variable<T>&);                      \
  template Variable<T> log_sigmoid(const Variable<T>&);                    \
  template Variable<T> softsign(const Variable<T>&);                       \
  template Variable<T> tanhshrink(const Variable<T>&);                     \
  template Variable<T> softshrink(const Variable<T>&, double);             \
  template Variable<T> hardshrink(const Variable<T>&, double);             \
  template Variable<T> threshold(const Variable<T>&, double, double);      \
  template Variable<T> rrelu(const Variable<T>&, double, double, bool);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)
#undef TG_INSTANTIATE

}  // namespace tg
