#include <tapegrad/ops/layer_norm.hpp>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include <tapegrad/core/tape.hpp>
#include <tapegrad/kernels/dispatch.hpp>
#include <tapegrad/ops/tensor_ops.hpp>

namespace tg {

template <class T>
Variable<T> layer_norm(const Variable<T>& x, const Shape& normalized_shape, const Variable<T>& weight,
                       const Variable<T>& bias, double eps) {
  const Shape& xs = x.shape();
  const std::size_t D = normalized_shape.size();
  const bool fits = D >= 1 && D <= xs.size() && Shape(xs.end() - D, xs.end()) == normalized_shape;
  if (!fits)
    throw Error("layer_norm: expected an input whose last dims are normalized_shape " + shape_str(normalized_shape) +
                ", got " + shape_str(xs));
  for (const Variable<T>* p : {&weight, &bias})
    if (p->defined() && p->shape() != normalized_shape)
      throw Error(std::string("layer_norm: expected ") + (p == &weight ? "weight" : "bias") + " of normalized_shape " +
                  shape_str(normalized_shape) + ", got " + shape_str(p->shape()));
  if (!(eps >= 0)) throw Error("layer_norm: expected eps >= 0, got " + std::to_string(eps));

  std::size_t K = 1;
  for (std::size_t s : normalized_shape) K *= s;
  const std::size_t R = K ? x.numel() / K : 0;
  const T* xv = x.value().data();
  const T* w = weight.defined() ? weight.value().data() : nullptr;
  const T* b = bias.defined() ? bias.value().data() : nullptr;
  auto mean = std::make_shared<std::vector<T>>(R);
  auto rstd = std::make_shared<std::vector<T>>(R);
  Array<T> y = Array<T>::from_shape(xs);
  for (std::size_t r = 0; r < R; ++r) {
    const T* row = xv + r * K;
    const T m = kernels::row_sum(row, K) / T(K);
    const T s = T(1) / std::sqrt(kernels::row_centered_sumsq(row, K, m) / T(K) + T(eps));
    (*mean)[r] = m;
    (*rstd)[r] = s;
    T* out = y.data() + r * K;
    if (!w && !b) {
      kernels::row_affine(row, K, s, -m * s, out);
    } else {
      for (std::size_t k = 0; k < K; ++k) out[k] = (row[k] - m) * s * (w ? w[k] : T(1)) + (b ? b[k] : T(0));
    }
  }

  static thread_local const Variable<T> none(Array<T>::from_shape({0}));
  const Variable<T>& wv = weight.defined() ? weight : none;
  const Variable<T>& bv = bias.defined() ? bias : none;
  const bool need_x = x.requires_grad() || wv.requires_grad();
  return record<T>(
      "layer_norm", std::move(y), {x, wv, bv},
      [K, R, mean, rstd, xk = keep_if(need_x, x), wk = keep_if(x.requires_grad(), weight)](Array<T>& g,
                                                                                           Grads<T>& grads) {
        const T* gs = g.data();
        T* dw = grads.needs(1) ? grads.zeroed_buffer(1) : nullptr;
        T* db = grads.needs(2) ? grads.zeroed_buffer(2) : nullptr;
        Array<T> dx = grads.needs(0) ? Array<T>::from_shape(g.shape()) : Array<T>();
        std::vector<T> gw(wk ? K : 0);
        for (std::size_t r = 0; r < R; ++r) {
          const T* gr = gs + r * K;
          const T m = (*mean)[r], s = (*rstd)[r];
          if (dw) {
            const T* xr = xk->data() + r * K;
            for (std::size_t k = 0; k < K; ++k) dw[k] += gr[k] * ((xr[k] - m) * s);
          }
          if (db)
            for (std::size_t k = 0; k < K; ++k) db[k] += gr[k];
          if (!grads.needs(0)) continue;
          // With gw = g * weight: dx = s * (gw - mean(gw) - xhat * mean(gw * xhat)), as A*gw + B*x + C0.
          const T* xr = xk->data() + r * K;
          const T* gwr = gr;
          if (wk) {
            for (std::size_t k = 0; k < K; ++k) gw[k] = gr[k] * wk->data()[k];
            gwr = gw.data();
          }
          const auto [sum, dot] = kernels::row_sum_and_dot(gwr, xr, K);
          const T dot_hat = s * (dot - m * sum);
          const T B = -s * s * dot_hat / T(K);
          const T C0 = -s * sum / T(K) - B * m;
          kernels::row_affine2(gwr, xr, K, s, B, C0, dx.data() + r * K);
        }
        if (grads.needs(0)) grads.add(0, std::move(dx));
      });
}

#define TG_INSTANTIATE(T)                                                                                 \
  template Variable<T> layer_norm(const Variable<T>&, const Shape&, const Variable<T>&, const Variable<T>&, \
                                  double);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)
#undef TG_INSTANTIATE

}  // namespace tg

namespace tg::nn::functional {

Tensor layer_norm(const Tensor& x, const LayerNormFuncOptions& options) {
  return tg::layer_norm(x, options.normalized_shape(), options.weight(), options.bias(), options.eps());
}

}  // namespace tg::nn::functional
