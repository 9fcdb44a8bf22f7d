// Elementwise math: exp, log, log1p, expm1, sqrt, rsqrt, reciprocal, sin, cos, pow with a scalar exponent,
// abs, sign, floor, ceil, round, trunc, clamp. Outside the domain (log or sqrt of a negative, a fractional power of a negative) the result is
// NaN, as in torch, not an error.
//
// These are tg::exp etc. on Variables; call them qualified. Inside namespace tg they hide the C
// functions of the same name for unqualified calls: write std::exp(double), xt::exp(tensor).
#pragma once

#include <optional>

#include <tapegrad/core/variable.hpp>

namespace tg {

template <class T> Variable<T> exp(const Variable<T>& x);
template <class T> Variable<T> log(const Variable<T>& x);
template <class T> Variable<T> sqrt(const Variable<T>& x);
template <class T> Variable<T> rsqrt(const Variable<T>& x);       // 1 / sqrt(x)
template <class T> Variable<T> reciprocal(const Variable<T>& x);  // 1 / x
template <class T> Variable<T> log1p(const Variable<T>& x);  // log(1 + x), exact for small x
template <class T> Variable<T> expm1(const Variable<T>& x);  // exp(x) - 1, exact for small x
template <class T> Variable<T> sin(const Variable<T>& x);
template <class T> Variable<T> cos(const Variable<T>& x);
// x ** exponent. The exponent's type is not deduced: pow(x, 2) works for a float x.
template <class T> Variable<T> pow(const Variable<T>& x, typename Variable<T>::value_type exponent);
// |x|; its gradient is sign(x), 0 at x = 0 (as torch).
template <class T> Variable<T> abs(const Variable<T>& x);
// -1, 0 or 1 by the sign of x, 0 for NaN (as torch 1.13); its gradient is 0 everywhere, as torch's.
template <class T> Variable<T> sign(const Variable<T>& x);
// Rounding to an integral value: down, up, to the nearest (halves to even, as torch.round), toward
// zero. Piecewise constant, so the gradient is 0, as torch's.
template <class T> Variable<T> floor(const Variable<T>& x);
template <class T> Variable<T> ceil(const Variable<T>& x);
template <class T> Variable<T> round(const Variable<T>& x);
template <class T> Variable<T> trunc(const Variable<T>& x);
// min(max(x, min), max), either bound optional (not both). The gradient passes where min <= x <= max
// (bounds included, as torch); NaN stays NaN and gets no gradient.
template <class T>
Variable<T> clamp(const Variable<T>& x, std::optional<typename Variable<T>::value_type> min,
                  std::optional<typename Variable<T>::value_type> max);

}  // namespace tg
