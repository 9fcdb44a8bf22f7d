// matmul: (M,K) @ (K,N) -> (M,N) through BLAS, forward and backward; bmm: a batch of them,
// (B,M,K) @ (B,K,N) -> (B,M,N). The Tensor-level tg::matmul (ops/tensor_ops.hpp) builds LibTorch's
// broadcasting matmul of any ranks on these two.
#pragma once

#include <tapegrad/core/variable.hpp>

namespace tg {

template <class T>
Variable<T> matmul(const Variable<T>& a, const Variable<T>& b);
template <class T>
Variable<T> bmm(const Variable<T>& a, const Variable<T>& b);

}  // namespace tg
