#include <tapegrad/ops/activations.hpp>

#include <algorithm>
#include <cmath>

#include <xtensor/xmath.hpp>
#include <xtensor/xnoalias.hpp>

#include <tapegrad/core/tape.hpp>
#include <tapegrad/kernels/dispatch.hpp>

namespace tg {
namespace {

// relu and leaky_relu backward: g where `sign_source` > 0, slope * g elsewhere (at 0 too, as torch).
// `sign_source` is the output when that tells x > 0 apart (slope >= 0), else the input.
// std::isgreater is a quiet comparison: with it GCC vectorises the select (a plain `>` stays a branch,
// 30x slower on random signs).
template <class T>
void gate_by_sign(Array<T>& g, const Array<T>& sign_source, T slope) {
  T* d = g.data();
  const T* s = sign_source.data();
  const std::size_t n = g.size();
  for (std::size_t k = 0; k < n; ++k) d[k] *= std::isgreater(s[k], T(0)) ? T(1) : slope;
}

}  // namespace

template <class T>
Variable<T> relu(const Variable<T>& x) {
  auto out = make_shared_array<T>(Array<T>::from_shape(x.shape()));
  const T* src = x.value().data();
  T* dst = out->data();
  const std::size_t n = out->size();
  for (std::size_t k = 0; k < n; ++k) dst[k] = std::max(src[k], T(0));  // NaN stays NaN, as in torch
  // The output is positive exactly where the input is, so the backward keeps only the output.
  return record<T>("relu", out, {x}, [out](Array<T>& g, Grads<T>& grads) {
    gate_by_sign(g, *out, T(0));
    grads.add(0, std::move(g));
  });
}

template <class T>
Variable<T> leaky_relu(const Variable<T>& x, typename Variable<T>::value_type negative_slope) {
  auto out = make_shared_array<T>(Array<T>::from_shape(x.shape()));
  const T* src = x.value().data();
  T* dst = out->data();
  const std::size_t n = out->size();
  // max + slope * min instead of a select: the same values (NaN stays NaN), and it vectorises.
  for (std::size_t k = 0; k < n; ++k) dst[k] = std::max(src[k], T(0)) + negative_slope * std::min(src[k], T(0));
  // With a negative slope, negative inputs give positive outputs: only the input tells the sides apart.
  auto sign_source = negative_slope >= T(0) ? out : x.value_ptr();
  return record<T>("leaky_relu", out, {x}, [sign_source, negative_slope](Array<T>& g, Grads<T>& grads) {
    gate_by_sign(g, *sign_source, negative_slope);
    grads.add(0, std::move(g));
  });
}

template <class T>
Variable<T> sigmoid(const Variable<T>& x) {
  auto out = make_shared_array<T>(kernels::mapped(x.value(), kernels::map_sigmoid<T>));
  return record<T>("sigmoid", out, {x}, [out](Array<T>& g, Grads<T>& grads) {
    xt::noalias(g) *= *out * (T(1) - *out);  // s' = s (1 - s)
    grads.add(0, std::move(g));
  });
}

template <class T>
Variable<T> tanh(const Variable<T>& x) {
  auto out = make_shared_array<T>(kernels::mapped(x.value(), kernels::map_tanh<T>));
  return record<T>("tanh", out, {x}, [out](Array<T>& g, Grads<T>& grads) {
    xt::noalias(g) *= T(1) - *out * *out;  // tanh' = 1 - tanh²
    grads.add(0, std::move(g));
  });
}

#define TG_INSTANTIATE(T)                                   \
  template Variable<T> relu(const Variable<T>&);            \
  template Variable<T> leaky_relu(const Variable<T>&, T);   \
  template Variable<T> sigmoid(const Variable<T>&);         \
  template Variable<T> tanh(const Variable<T>&);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)
#undef TG_INSTANTIATE

}  // namespace tg
