#include <tapegrad/ops/prelu.hpp>

#include <string>

#include <tapegrad/core/tape.hpp>

namespace tg {

template <class T>
Variable<T> prelu(const Variable<T>& x, const Variable<T>& weight) {
  if (weight.dim() > 1)
    throw Error("prelu: expected a 0-D or 1-D weight, got shape " + shape_str(weight.shape()));
  const std::size_t slopes = weight.numel();
  // Channels are dim 1; an input of rank 0 or 1 has one channel, as in torch.
  const std::size_t channels = x.dim() >= 2 ? x.shape()[1] : 1;
  if (slopes != 1 && slopes != channels)
    throw Error("prelu: the weight " + shape_str(weight.shape()) + " has " + std::to_string(slopes) +
                " parameters but the input " + shape_str(x.shape()) + " has " + std::to_string(channels) +
                " channels (dim 1); expected 1 or " + std::to_string(channels) + " parameters");
  std::size_t inner = 1;  // elements per channel per sample
  for (std::size_t d = 2; d < x.dim(); ++d) inner *= x.shape()[d];
  // The slope index of flat element k: its channel, or 0 for a shared slope.
  auto slope_of = [inner, channels, shared = slopes == 1](std::size_t k) { return shared ? 0 : (k / inner) % channels; };

  const T* xs = x.value().data();
  const T* ws = weight.value().data();
  Array<T> y = Array<T>::from_shape(x.shape());
  const std::size_t n = y.size();
  for (std::size_t k = 0; k < n; ++k) y.data()[k] = xs[k] > T(0) ? xs[k] : ws[slope_of(k)] * xs[k];
  return record<T>("prelu", std::move(y), {x, weight},
                   [xv = x.value_ptr(), wv = weight.value_ptr(), slope_of](Array<T>& g, Grads<T>& grads) {
                     const T* xs = xv->data();
                     const T* ws = wv->data();
                     T* gs = g.data();
                     const std::size_t n = g.size();
                     if (grads.needs(1)) {  // before g is scaled in place below
                       Array<T> gw = Array<T>::from_shape(wv->shape());
                       gw.fill(T(0));
                       for (std::size_t k = 0; k < n; ++k)
                         if (!(xs[k] > T(0))) gw.data()[slope_of(k)] += xs[k] * gs[k];
                       grads.add(1, std::move(gw));
                     }
                     if (grads.needs(0)) {
                       for (std::size_t k = 0; k < n; ++k)
                         if (!(xs[k] > T(0))) gs[k] *= ws[slope_of(k)];
                       grads.add(0, std::move(g));
                     }
                   });
}

template Variable<float> prelu(const Variable<float>&, const Variable<float>&);
template Variable<double> prelu(const Variable<double>&, const Variable<double>&);

}  // namespace tg
