// matmul: (M,K) @ (K,N) -> (M,N) through BLAS, forward and backward.
#pragma once

#include <tapegrad/core/variable.hpp>

namespace tg {

template <class T>
Variable<T> matmul(const Variable<T>& a, const Variable<T>& b);

}  // namespace tg
