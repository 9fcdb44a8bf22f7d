#include <tapegrad/ops/unary.hpp>

#include <algorithm>
#include <limits>

#include <xtensor/xmath.hpp>
#include <xtensor/xnoalias.hpp>

#include <tapegrad/core/tape.hpp>
#include <tapegrad/kernels/dispatch.hpp>
#include <tapegrad/ops/arithmetic.hpp>

namespace tg {

// Forward passes go through xtensor's whole-array functions: with xsimd they are vectorised (exp is
// about 13x faster than a std::exp loop). Every math call is qualified (xt::), see unary.hpp.

namespace {

// x^p, with the common exponents as plain arithmetic as torch does: xsimd's general pow computes
// exp(p log x), about 14x slower than x * x.
template <class T>
Array<T> power(const Array<T>& x, T p) {
  if (p == T(1)) return x;
  if (p == T(2)) return x * x;
  if (p == T(3)) return x * x * x;
  if (p == T(0.5)) return xt::sqrt(x);
  if (p == T(-1)) return T(1) / x;
  return xt::pow(x, p);
}

// -1, 0 or 1; 0 for NaN (abs's gradient and sign itself).
template <class T>
T signum(T v) {
  return T(v > T(0)) - T(v < T(0));
}

}  // namespace

template <class T>
Variable<T> exp(const Variable<T>& x) {
  auto out = make_shared_array<T>(kernels::mapped(x.value(), kernels::map_exp<T>));
  return record<T>("exp", out, {x}, [out](Array<T>& g, Grads<T>& grads) {
    xt::noalias(g) *= *out;  // (e^x)' = e^x
    grads.add(0, std::move(g));
  });
}

template <class T>
Variable<T> log(const Variable<T>& x) {
  return record<T>("log", kernels::mapped(x.value(), kernels::map_log<T>), {x}, [xv = x.value_ptr()](Array<T>& g, Grads<T>& grads) {
    xt::noalias(g) /= *xv;
    grads.add(0, std::move(g));
  });
}

template <class T>
Variable<T> sqrt(const Variable<T>& x) {
  auto out = make_shared_array<T>(xt::sqrt(x.value()));
  return record<T>("sqrt", out, {x}, [out](Array<T>& g, Grads<T>& grads) {
    xt::noalias(g) /= T(2) * *out;  // (√x)' = 1 / (2√x)
    grads.add(0, std::move(g));
  });
}

template <class T>
Variable<T> rsqrt(const Variable<T>& x) {
  auto out = make_shared_array<T>(T(1) / xt::sqrt(x.value()));
  return record<T>("rsqrt", out, {x}, [out](Array<T>& g, Grads<T>& grads) {
    xt::noalias(g) *= T(-0.5) * *out * *out * *out;  // (x^-1/2)' = -x^-3/2 / 2
    grads.add(0, std::move(g));
  });
}

template <class T>
Variable<T> reciprocal(const Variable<T>& x) {
  return rdiv(x, T(1));
}

template <class T>
Variable<T> log1p(const Variable<T>& x) {
  return record<T>("log1p", xt::log1p(x.value()), {x}, [xv = x.value_ptr()](Array<T>& g, Grads<T>& grads) {
    xt::noalias(g) /= T(1) + *xv;
    grads.add(0, std::move(g));
  });
}

template <class T>
Variable<T> expm1(const Variable<T>& x) {
  auto out = make_shared_array<T>(xt::expm1(x.value()));
  return record<T>("expm1", out, {x}, [out](Array<T>& g, Grads<T>& grads) {
    xt::noalias(g) *= *out + T(1);  // (e^x - 1)' = e^x
    grads.add(0, std::move(g));
  });
}

template <class T>
Variable<T> sin(const Variable<T>& x) {
  return record<T>("sin", xt::sin(x.value()), {x}, [xv = x.value_ptr()](Array<T>& g, Grads<T>& grads) {
    xt::noalias(g) *= xt::cos(*xv);
    grads.add(0, std::move(g));
  });
}

template <class T>
Variable<T> cos(const Variable<T>& x) {
  return record<T>("cos", xt::cos(x.value()), {x}, [xv = x.value_ptr()](Array<T>& g, Grads<T>& grads) {
    xt::noalias(g) *= -xt::sin(*xv);
    grads.add(0, std::move(g));
  });
}

template <class T>
Variable<T> pow(const Variable<T>& x, typename Variable<T>::value_type exponent) {
  return record<T>("pow", power(x.value(), exponent), {x},
                   [xv = x.value_ptr(), exponent](Array<T>& g, Grads<T>& grads) {
                     // x^0 is constant: a zero gradient, where the formula would give 0 * 0^-1 = NaN at x = 0.
                     if (exponent == T(0))
                       g.fill(T(0));
                     else
                       xt::noalias(g) *= exponent * power(*xv, exponent - T(1));
                     grads.add(0, std::move(g));
                   });
}

template <class T>
Variable<T> abs(const Variable<T>& x) {
  return record<T>("abs", Array<T>(xt::abs(x.value())), {x}, [xv = x.value_ptr()](Array<T>& g, Grads<T>& grads) {
    T* d = g.data();
    const T* s = xv->data();
    for (std::size_t k = 0; k < g.size(); ++k) d[k] *= signum(s[k]);
    grads.add(0, std::move(g));
  });
}

template <class T>
Variable<T> sign(const Variable<T>& x) {
  Array<T> out = Array<T>::from_shape(x.shape());
  const T* src = x.value().data();
  for (std::size_t k = 0; k < out.size(); ++k) out.data()[k] = signum(src[k]);
  return record<T>("sign", std::move(out), {x}, [](Array<T>& g, Grads<T>& grads) {
    g.fill(T(0));  // piecewise constant
    grads.add(0, std::move(g));
  });
}

namespace {

// A rounding op: round_fn on every element, a zero gradient.
template <class T, class Fn>
Variable<T> rounded(const Variable<T>& x, const char* op, Fn round_fn) {
  Array<T> out = Array<T>::from_shape(x.shape());
  const T* src = x.value().data();
  for (std::size_t k = 0; k < out.size(); ++k) out.data()[k] = round_fn(src[k]);
  return record<T>(op, std::move(out), {x}, [](Array<T>& g, Grads<T>& grads) {
    g.fill(T(0));
    grads.add(0, std::move(g));
  });
}

}  // namespace

template <class T>
Variable<T> floor(const Variable<T>& x) {
  return rounded(x, "floor", [](T v) { return std::floor(v); });
}
template <class T>
Variable<T> ceil(const Variable<T>& x) {
  return rounded(x, "ceil", [](T v) { return std::ceil(v); });
}
template <class T>
Variable<T> round(const Variable<T>& x) {
  return rounded(x, "round", [](T v) { return std::nearbyint(v); });  // the default mode rounds halves to even
}
template <class T>
Variable<T> trunc(const Variable<T>& x) {
  return rounded(x, "trunc", [](T v) { return std::trunc(v); });
}

template <class T>
Variable<T> clamp(const Variable<T>& x, std::optional<typename Variable<T>::value_type> min,
                  std::optional<typename Variable<T>::value_type> max) {
  if (!min && !max) throw Error("clamp: expected a min or a max bound (or both), got neither");
  const T lo = min.value_or(-std::numeric_limits<T>::infinity());
  const T hi = max.value_or(std::numeric_limits<T>::infinity());
  Array<T> out = Array<T>::from_shape(x.shape());
  const T* src = x.value().data();
  for (std::size_t k = 0; k < out.size(); ++k) out.data()[k] = std::min(std::max(src[k], lo), hi);  // NaN stays
  return record<T>("clamp", std::move(out), {x}, [xv = x.value_ptr(), lo, hi](Array<T>& g, Grads<T>& grads) {
    T* d = g.data();
    const T* s = xv->data();
    for (std::size_t k = 0; k < g.size(); ++k) d[k] *= T(s[k] >= lo && s[k] <= hi);
    grads.add(0, std::move(g));
  });
}

#define TG_INSTANTIATE(T)                              \
  template Variable<T> exp(const Variable<T>&);        \
  template Variable<T> log(const Variable<T>&);        \
  template Variable<T> sqrt(const Variable<T>&);       \
  template Variable<T> rsqrt(const Variable<T>&);      \
  template Variable<T> reciprocal(const Variable<T>&); \
  template Variable<T> log1p(const Variable<T>&);      \
  template Variable<T> expm1(const Variable<T>&);      \
  template Variable<T> floor(const Variable<T>&);      \
  template Variable<T> ceil(const Variable<T>&);       \
  template Variable<T> round(const Variable<T>&);      \
  template Variable<T> trunc(const Variable<T>&);      \
  template Variable<T> sin(const Variable<T>&);        \
  template Variable<T> cos(const Variable<T>&);        \
  template Variable<T> sign(const Variable<T>&);       \
  template Variable<T> pow(const Variable<T>&, T);    \
  template Variable<T> abs(const Variable<T>&);        \
  template Variable<T> clamp(const Variable<T>&, std::optional<T>, std::optional<T>);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)
#undef TG_INSTANTIATE

}  // namespace tg
