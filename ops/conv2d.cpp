#include <tapegrad/ops/conv2d.hpp>

#include <memory>

#include <tapegrad/core/tape.hpp>
#include <tapegrad/kernels/dispatch.hpp>

namespace tg {

template <class T>
Variable<T> conv2d(const Variable<T>& x, const Variable<T>& weight, const Variable<T>& bias,
                   std::array<std::size_t, 2> stride, std::array<std::size_t, 2> padding) {
  if (x.dim() != 4) throw Error("conv2d: expected input (N, C, H, W), got " + shape_str(x.shape()));
  if (weight.dim() != 4) throw Error("conv2d: expected weight (O, C, kh, kw), got " + shape_str(weight.shape()));
  const Shape& xs = x.shape();
  const Shape& ws = weight.shape();
  if (xs[1] != ws[1])
    throw Error("conv2d: expected input (N, C, H, W) with C = " + std::to_string(ws[1]) + " to match weight " +
                shape_str(ws) + ", got " + shape_str(xs));
  const bool has_bias = bias.defined();
  if (has_bias && (bias.dim() != 1 || bias.shape()[0] != ws[0]))
    throw Error("conv2d: expected bias (" + std::to_string(ws[0]) + ",) to match weight " + shape_str(ws) + ", got " +
                shape_str(bias.shape()));
  const kernels::Conv2dGeometry g = kernels::conv2d_geometry("conv2d", xs[1], xs[2], xs[3], {ws[2], ws[3]}, stride, padding);
  const std::size_t N = xs[0], O = ws[0];
  // Bounds every buffer below: padded images, channels-last copies and outputs, channels vector-padded.
  checked_numel({N, kernels::max_padded_channels<T>(std::max(xs[1], O)), g.padded_height(), g.padded_width()}, "conv2d");

  // The zero-padded images: read by the forward, and kept for dW when W needs a gradient (smaller
  // than their patch matrix, which dW also reads in place).
  std::shared_ptr<T[]> padded(new T[N * g.padded_image_size()]);
  kernels::pad_images(x.value().data(), g, N, padded.get());
  Array<T> out = Array<T>::from_shape({N, O, g.out_h, g.out_w});
  kernels::conv2d_forward(padded.get(), weight.value().data(), has_bias ? bias.value().data() : nullptr, g, N, O, out.data());

  auto backward = [padded = weight.requires_grad() ? padded : nullptr, wv = keep_if(x.requires_grad(), weight), g, N, O,
                   has_bias](Array<T>& gy, Grads<T>& grads) {
    bool fresh = false;
    if (grads.needs(1)) {
      T* dw = grads.buffer(1, fresh);
      kernels::conv2d_weight_grad(padded.get(), gy.data(), g, N, O, dw, fresh);
    }
    if (grads.needs(0)) {
      T* dx = grads.buffer(0, fresh);
      kernels::conv2d_input_grad(gy.data(), wv->data(), g, N, O, dx, fresh);
    }
    if (has_bias && grads.needs(2)) {
      T* db = grads.buffer(2, fresh);
      kernels::conv2d_bias_grad(gy.data(), N, O, g.out_size(), db, fresh);
    }
  };
  return has_bias ? record<T>("conv2d", std::move(out), {x, weight, bias}, std::move(backward))
                  : record<T>("conv2d", std::move(out), {x, weight}, std::move(backward));
}

template Variable<float> conv2d(const Variable<float>&, const Variable<float>&, const Variable<float>&,
                                std::array<std::size_t, 2>, std::array<std::size_t, 2>);
template Variable<double> conv2d(const Variable<double>&, const Variable<double>&, const Variable<double>&,
                                 std::array<std::size_t, 2>, std::array<std::size_t, 2>);

}  // namespace tg
