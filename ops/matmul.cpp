#include <tapegrad/ops/matmul.hpp>

#include <tapegrad/core/blas.hpp>
#include <tapegrad/core/tape.hpp>

namespace tg {

template <class T>
Variable<T> matmul(const Variable<T>& a, const Variable<T>& b) {
  if (a.dim() != 2 || b.dim() != 2 || a.shape()[1] != b.shape()[0])
    throw Error("matmul: expected (M,K) @ (K,N), got " + shape_str(a.shape()) + " @ " + shape_str(b.shape()));
  const std::size_t m = a.shape()[0], k = a.shape()[1], n = b.shape()[1];
  checked_numel({m, n}, "matmul");
  Array<T> out = Array<T>::from_shape({m, n});
  blas::gemm<T>(false, false, m, n, k, T(1), a.value().data(), k, b.value().data(), n, T(0), out.data(), n);
  // dA = G·Bᵀ and dB = Aᵀ·G with transpose flags; beta=1 adds straight into an existing gradient.
  return record<T>("matmul", std::move(out), {a, b},
                   [av = keep_if(b.requires_grad(), a), bv = keep_if(a.requires_grad(), b), m, k, n](
                       Array<T>& g, Grads<T>& grads) {
                     bool fresh = false;
                     if (grads.needs(0)) {
                       T* da = grads.buffer(0, fresh);
                       blas::gemm<T>(false, true, m, k, n, T(1), g.data(), n, bv->data(), n, fresh ? T(0) : T(1), da, k);
                     }
                     if (grads.needs(1)) {
                       T* db = grads.buffer(1, fresh);
                       blas::gemm<T>(true, false, k, n, m, T(1), av->data(), k, g.data(), n, fresh ? T(0) : T(1), db, n);
                     }
                   });
}

template Variable<float> matmul(const Variable<float>&, const Variable<float>&);
template Variable<double> matmul(const Variable<double>&, const Variable<double>&);

}  // namespace tg
