// linear: the fully connected layer y = x·Wᵀ + b as one op, with LibTorch's weight layout.
#pragma once

#include <tapegrad/core/variable.hpp>

namespace tg {

// x (N, in), weight (out, in), bias (out,) or an undefined Variable<T>() for none -> (N, out).
template <class T>
Variable<T> linear(const Variable<T>& x, const Variable<T>& weight, const Variable<T>& bias);

}  // namespace tg
