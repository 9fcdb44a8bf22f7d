// Elementwise arithmetic with NumPy broadcasting: add, sub, mul, div, neg, maximum, minimum, and the operators.
// A scalar operand is a plain number (x * 2, 1 - x); its type is converted to the Variable's.
#pragma once

#include <type_traits>

#include <tapegrad/core/variable.hpp>

namespace tg {

template <class T> Variable<T> add(const Variable<T>& a, const Variable<T>& b);
template <class T> Variable<T> sub(const Variable<T>& a, const Variable<T>& b);
template <class T> Variable<T> mul(const Variable<T>& a, const Variable<T>& b);
template <class T> Variable<T> div(const Variable<T>& a, const Variable<T>& b);
template <class T> Variable<T> neg(const Variable<T>& a);
// The larger (smaller) of each pair; NaN wins. As torch's, tied elements split the gradient in
// halves, and where either is NaN both get all of it.
template <class T> Variable<T> maximum(const Variable<T>& a, const Variable<T>& b);
template <class T> Variable<T> minimum(const Variable<T>& a, const Variable<T>& b);

template <class T> Variable<T> add(const Variable<T>& a, T s);   // a + s
template <class T> Variable<T> mul(const Variable<T>& a, T s);   // a * s
template <class T> Variable<T> rsub(const Variable<T>& a, T s);  // s - a
template <class T> Variable<T> rdiv(const Variable<T>& a, T s);  // s / a

template <class S>
using if_scalar = std::enable_if_t<std::is_arithmetic_v<S>, int>;

template <class T> Variable<T> operator+(const Variable<T>& a, const Variable<T>& b) { return add(a, b); }
template <class T> Variable<T> operator-(const Variable<T>& a, const Variable<T>& b) { return sub(a, b); }
template <class T> Variable<T> operator*(const Variable<T>& a, const Variable<T>& b) { return mul(a, b); }
template <class T> Variable<T> operator/(const Variable<T>& a, const Variable<T>& b) { return div(a, b); }
template <class T> Variable<T> operator-(const Variable<T>& a) { return neg(a); }

template <class T, class S, if_scalar<S> = 0> Variable<T> operator+(const Variable<T>& a, S s) { return add(a, T(s)); }
template <class T, class S, if_scalar<S> = 0> Variable<T> operator+(S s, const Variable<T>& a) { return add(a, T(s)); }
template <class T, class S, if_scalar<S> = 0> Variable<T> operator-(const Variable<T>& a, S s) { return add(a, T(-s)); }
template <class T, class S, if_scalar<S> = 0> Variable<T> operator-(S s, const Variable<T>& a) { return rsub(a, T(s)); }
template <class T, class S, if_scalar<S> = 0> Variable<T> operator*(const Variable<T>& a, S s) { return mul(a, T(s)); }
template <class T, class S, if_scalar<S> = 0> Variable<T> operator*(S s, const Variable<T>& a) { return mul(a, T(s)); }
template <class T, class S, if_scalar<S> = 0> Variable<T> operator/(const Variable<T>& a, S s) { return mul(a, T(1) / T(s)); }
template <class T, class S, if_scalar<S> = 0> Variable<T> operator/(S s, const Variable<T>& a) { return rdiv(a, T(s)); }

}  // namespace tg
