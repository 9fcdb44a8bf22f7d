// linear: the fully connected layer y = x·Wᵀ + b as one op, with LibTorch's weight layout.
#pragma once

#include <tapegrad/core/variable.hpp>

namespace tg {

// x (*, in), weight (out, in), bias (out,) or an undefined Variable<T>() for none -> (*, out): every
// leading dim is a batch dim, as LibTorch's (N, *, in).
template <class T>
Variable<T> linear(const Variable<T>& x, const Variable<T>& weight, const Variable<T>& bias);

}  // namespace tg
