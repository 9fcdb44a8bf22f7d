#include <tapegrad/ops/gelu.hpp>

#include <cmath>

#include <tapegrad/core/tape.hpp>
#include <tapegrad/ops/tensor_ops.hpp>

namespace tg {

template <class T>
Variable<T> gelu(const Variable<T>& x, const std::string& approximate) {
  const bool tanh_form = approximate == "tanh";
  if (!tanh_form && approximate != "none")
    throw Error("gelu: approximate must be \"none\" or \"tanh\", got \"" + approximate + "\"");
  const T* xs = x.value().data();
  const std::size_t n = x.numel();
  Array<T> y = Array<T>::from_shape(x.shape());
  // Constants as torch's kernels: 1/√2, √2·2/√π·0.5 = √(2/π), and the cubic's 0.044715.
  const T inv_sqrt2 = T(M_SQRT1_2), k = T(M_SQRT2 * M_2_SQRTPI * 0.5), c = T(0.044715);
  if (tanh_form)
    for (std::size_t i = 0; i < n; ++i)
      y.data()[i] = T(0.5) * xs[i] * (T(1) + std::tanh(k * (xs[i] + c * xs[i] * xs[i] * xs[i])));
  else
    for (std::size_t i = 0; i < n; ++i) y.data()[i] = xs[i] * T(0.5) * (T(1) + std::erf(xs[i] * inv_sqrt2));
  return record<T>("gelu", std::move(y), {x}, [xv = x.value_ptr(), tanh_form, inv_sqrt2, k, c](Array<T>& g, Grads<T>& grads) {
    const T* xs = xv->data();
    T* gs = g.data();
    const T inv_sqrt_2pi = T(0.5 * M_2_SQRTPI * M_SQRT1_2);
    for (std::size_t i = 0; i < g.size(); ++i) {
      const T v = xs[i];
      T d;
      if (tanh_form) {
        const T t = std::tanh(k * (v + c * v * v * v));
        d = T(0.5) * (T(1) + t) + T(0.5) * v * (T(1) - t * t) * k * (T(1) + T(3) * c * v * v);
      } else {
        d = T(0.5) * (T(1) + std::erf(v * inv_sqrt2)) + v * inv_sqrt_2pi * std::exp(T(-0.5) * v * v);  // Φ + x·φ
      }
      gs[i] *= d;
    }
    grads.add(0, std::move(g));
  });
}

template Variable<float> gelu(const Variable<float>&, const std::string&);
template Variable<double> gelu(const Variable<double>&, const std::string&);

}  // namespace tg

namespace tg::nn::functional {

Tensor gelu(const Tensor& x, const GELUFuncOptions& options) { return tg::gelu(x, options.approximate()); }

}  // namespace tg::nn::functional
