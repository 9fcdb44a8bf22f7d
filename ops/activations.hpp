// Activations: relu, leaky_relu, sigmoid, tanh. Each backward works from the op's output where it
// can, so the input's buffer may be freed after the forward.
#pragma once

#include <tapegrad/core/variable.hpp>

namespace tg {

template <class T> Variable<T> relu(const Variable<T>& x);
// x for x > 0, negative_slope * x otherwise. The slope's type is not deduced: leaky_relu(x, 0.2) works
// for a float x.
template <class T> Variable<T> leaky_relu(const Variable<T>& x, typename Variable<T>::value_type negative_slope = T(0.01));
template <class T> Variable<T> sigmoid(const Variable<T>& x);
template <class T> Variable<T> tanh(const Variable<T>& x);

}  // namespace tg
