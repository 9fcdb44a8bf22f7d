#include <tapegrad/ops/linear.hpp>

#include <algorithm>

#include <tapegrad/core/blas.hpp>
#include <tapegrad/core/tape.hpp>
#include <tapegrad/kernels/dispatch.hpp>

namespace tg {

template <class T>
Variable<T> linear(const Variable<T>& x, const Variable<T>& weight, const Variable<T>& bias) {
  if (x.dim() < 1) throw Error("linear: expected input (*, in), got " + shape_str(x.shape()));
  if (weight.dim() != 2) throw Error("linear: expected weight (out, in), got " + shape_str(weight.shape()));
  // Every leading dim is a batch dim: the GEMM runs over their n rows.
  const std::size_t in = x.shape().back(), out = weight.shape()[0];
  std::size_t n = 1;
  for (std::size_t d = 0; d + 1 < x.dim(); ++d) n *= x.shape()[d];
  if (weight.shape()[1] != in)
    throw Error("linear: expected input (*, in) with in = " + std::to_string(weight.shape()[1]) +
                " to match weight " + shape_str(weight.shape()) + ", got " + shape_str(x.shape()));
  const bool has_bias = bias.defined();
  if (has_bias && (bias.dim() != 1 || bias.shape()[0] != out))
    throw Error("linear: expected bias (" + std::to_string(out) + ",) to match weight " + shape_str(weight.shape()) +
                ", got " + shape_str(bias.shape()));

  // y = x·Wᵀ: the transpose is a GEMM flag. The bias is preloaded into y so the GEMM adds onto it.
  Shape y_shape = x.shape();
  y_shape.back() = out;
  checked_numel(y_shape, "linear");
  Array<T> y = Array<T>::from_shape(y_shape);
  if (has_bias)
    for (std::size_t i = 0; i < n; ++i) std::copy_n(bias.value().data(), out, y.data() + i * out);
  // Split over the pool along W's rows, as dW below: each thread reads, and then writes, its own rows.
  blas::gemm<T>(false, true, n, out, in, T(1), x.value().data(), in, weight.value().data(), in,
                has_bias ? T(1) : T(0), y.data(), out, blas::Split::Columns);

  auto backward = [xv = keep_if(weight.requires_grad(), x), wv = keep_if(x.requires_grad(), weight), n, in, out,
                   has_bias](Array<T>& g, Grads<T>& grads) {
    bool fresh = false;
    if (grads.needs(0)) {  // dX (N, in) = G (N, out) · W (out, in)
      T* dx = grads.buffer(0, fresh);
      blas::gemm<T>(false, false, n, in, out, T(1), g.data(), out, wv->data(), in, fresh ? T(0) : T(1), dx, in);
    }
    if (grads.needs(1)) {  // dW (out, in) = Gᵀ (out, N) · X (N, in)
      T* dw = grads.buffer(1, fresh);
      blas::gemm<T>(true, false, out, in, n, T(1), g.data(), out, xv->data(), in, fresh ? T(0) : T(1), dw, in,
                    blas::Split::Rows);
    }
    if (has_bias && grads.needs(2)) {  // db = column sums of G
      T* db = grads.buffer(2, fresh);
      kernels::column_sums(g.data(), n, out, db, fresh);
    }
  };
  return has_bias ? record<T>("linear", std::move(y), {x, weight, bias}, std::move(backward))
                  : record<T>("linear", std::move(y), {x, weight}, std::move(backward));
}

template Variable<float> linear(const Variable<float>&, const Variable<float>&, const Variable<float>&);
template Variable<double> linear(const Variable<double>&, const Variable<double>&, const Variable<double>&);

}  // namespace tg
