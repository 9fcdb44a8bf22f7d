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

template <class T>
Variable<T> bmm(const Variable<T>& a, const Variable<T>& b) {
  if (a.dim() != 3 || b.dim() != 3 || a.shape()[0] != b.shape()[0] || a.shape()[2] != b.shape()[1])
    throw Error("bmm: expected (B,M,K) @ (B,K,N), got " + shape_str(a.shape()) + " @ " + shape_str(b.shape()));
  const std::size_t batch = a.shape()[0], m = a.shape()[1], k = a.shape()[2], n = b.shape()[2];
  checked_numel({batch, m, n}, "bmm");
  Array<T> out = Array<T>::from_shape({batch, m, n});
  for (std::size_t i = 0; i < batch; ++i)
    blas::gemm<T>(false, false, m, n, k, T(1), a.value().data() + i * m * k, k, b.value().data() + i * k * n, n, T(0),
                  out.data() + i * m * n, n);
  // matmul's gradients, one product of each batch at a time.
  return record<T>("bmm", std::move(out), {a, b},
                   [av = keep_if(b.requires_grad(), a), bv = keep_if(a.requires_grad(), b), batch, m, k, n](
                       Array<T>& g, Grads<T>& grads) {
                     bool fresh = false;
                     if (grads.needs(0)) {
                       T* da = grads.buffer(0, fresh);
                       for (std::size_t i = 0; i < batch; ++i)
                         blas::gemm<T>(false, true, m, k, n, T(1), g.data() + i * m * n, n, bv->data() + i * k * n, n,
                                       fresh ? T(0) : T(1), da + i * m * k, k);
                     }
                     if (grads.needs(1)) {
                       T* db = grads.buffer(1, fresh);
                       for (std::size_t i = 0; i < batch; ++i)
                         blas::gemm<T>(true, false, k, n, m, T(1), av->data() + i * m * k, k, g.data() + i * m * n, n,
                                       fresh ? T(0) : T(1), db + i * k * n, n);
                     }
                   });
}

template Variable<float> matmul(const Variable<float>&, const Variable<float>&);
template Variable<double> matmul(const Variable<double>&, const Variable<double>&);
template Variable<float> bmm(const Variable<float>&, const Variable<float>&);
template Variable<double> bmm(const Variable<double>&, const Variable<double>&);

}  // namespace tg
