#include <tapegrad/ops/conv_transpose2d.hpp>

#include <algorithm>
#include <memory>
#include <sstream>

#include <tapegrad/core/tape.hpp>
#include <tapegrad/kernels/dispatch.hpp>
#include <tapegrad/ops/tensor_ops.hpp>

namespace tg {

// As conv2d with O = Cin output channels over a (Cout, OH, OW) image, whose output positions are x's
// (H, W), conv_transpose2d's forward is that conv2d's input gradient with dY = x, and its gradients are
// that conv2d's forward (dx) and weight gradient (dW, with dY = x).
template <class T>
Variable<T> conv_transpose2d(const Variable<T>& x, const Variable<T>& weight, const Variable<T>& bias,
                             std::array<std::size_t, 2> stride, std::array<std::size_t, 2> padding,
                             std::array<std::size_t, 2> output_padding) {
  if (x.dim() != 4) throw Error("conv_transpose2d: expected input (N, Cin, H, W), got " + shape_str(x.shape()));
  if (weight.dim() != 4)
    throw Error("conv_transpose2d: expected weight (Cin, Cout, kh, kw), got " + shape_str(weight.shape()));
  const Shape& xs = x.shape();
  const Shape& ws = weight.shape();
  if (xs[1] != ws[0])
    throw Error("conv_transpose2d: expected input (N, Cin, H, W) with Cin = " + std::to_string(ws[0]) +
                " to match weight " + shape_str(ws) + ", got " + shape_str(xs));
  const bool has_bias = bias.defined();
  if (has_bias && (bias.dim() != 1 || bias.shape()[0] != ws[1]))
    throw Error("conv_transpose2d: expected bias (" + std::to_string(ws[1]) + ",) to match weight " + shape_str(ws) +
                ", got " + shape_str(bias.shape()));
  for (int a = 0; a < 2; ++a)
    if (stride[a] == 0 || output_padding[a] >= stride[a])
      throw Error("conv_transpose2d: output_padding " + shape_str(output_padding) +
                  " must be smaller than the stride " + shape_str(stride) + " (which must be positive)");
  std::array<std::size_t, 2> out_size{};
  for (int a = 0; a < 2; ++a) {
    const std::size_t in = xs[2 + a], full = (in ? in - 1 : 0) * stride[a] + ws[2 + a] + output_padding[a];
    if (in == 0 || full <= 2 * padding[a])
      throw Error("conv_transpose2d: input " + shape_str(xs) + " with kernel " + shape_str(ws) + ", stride " +
                  shape_str(stride) + " and padding " + shape_str(padding) + " gives an empty output");
    out_size[a] = full - 2 * padding[a];
  }
  const std::size_t N = xs[0], Cin = xs[1], Cout = ws[1];
  const kernels::Conv2dGeometry g = kernels::conv2d_geometry("conv_transpose2d", Cout, out_size[0], out_size[1], {ws[2], ws[3]}, stride,
                                           padding);
  const std::size_t L = g.height * g.width;
  // Bounds every buffer below: outputs, padded gradients, channels-last copies with channels vector-padded.
  checked_numel({N, kernels::max_padded_channels<T>(std::max(Cin, Cout)), g.padded_height(), g.padded_width()},
                "conv_transpose2d");

  Array<T> y = Array<T>::from_shape({N, Cout, g.height, g.width});
  kernels::conv2d_input_grad(x.value().data(), weight.value().data(), g, N, Cin, y.data(), /*fresh=*/true);
  if (has_bias)
    for (std::size_t n = 0; n < N; ++n)
      for (std::size_t c = 0; c < Cout; ++c) {
        T* plane = y.data() + (n * Cout + c) * L;
        const T b = bias.value().data()[c];
        for (std::size_t k = 0; k < L; ++k) plane[k] += b;
      }

  auto backward = [xv = keep_if(weight.requires_grad(), x), wv = keep_if(x.requires_grad(), weight), g, N, Cin, Cout,
                   L, has_bias](Array<T>& gy, Grads<T>& grads) {
    std::unique_ptr<T[]> padded;
    if (grads.needs(0) || grads.needs(1)) {
      padded.reset(new T[N * g.padded_image_size()]);
      kernels::pad_images(gy.data(), g, N, padded.get());
    }
    bool fresh = false;
    if (grads.needs(0)) {  // dx = conv2d(gy, W)
      T* dx = grads.buffer(0, fresh);
      if (fresh) {
        kernels::conv2d_forward(padded.get(), wv->data(), static_cast<const T*>(nullptr), g, N, Cin, dx);
      } else {
        Array<T> d = Array<T>::from_shape({N, Cin, g.out_h, g.out_w});
        kernels::conv2d_forward(padded.get(), wv->data(), static_cast<const T*>(nullptr), g, N, Cin, d.data());
        grads.add(0, std::move(d));
      }
    }
    if (grads.needs(1)) {  // dW = conv2d's weight gradient with dY = x
      T* dw = grads.buffer(1, fresh);
      kernels::conv2d_weight_grad(padded.get(), xv->data(), g, N, Cin, dw, fresh);
    }
    if (has_bias && grads.needs(2)) {
      T* db = grads.buffer(2, fresh);
      kernels::conv2d_bias_grad(gy.data(), N, Cout, L, db, fresh);
    }
  };
  return has_bias ? record<T>("conv_transpose2d", std::move(y), {x, weight, bias}, std::move(backward))
                  : record<T>("conv_transpose2d", std::move(y), {x, weight}, std::move(backward));
}

#define TG_INSTANTIATE(T)                                                                                   \
  template Variable<T> conv_transpose2d(const Variable<T>&, const Variable<T>&, const Variable<T>&,       \
                                        std::array<std::size_t, 2>, std::array<std::size_t, 2>,           \
                                        std::array<std::size_t, 2>);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)
#undef TG_INSTANTIATE

}  // namespace tg

namespace tg::nn::functional {

Tensor conv_transpose2d(const Tensor& x, const Tensor& weight, const ConvTranspose2dFuncOptions& options) {
  const IntArrayRef& d = options.dilation();
  const bool unit_dilation = !d.empty() && d.size() <= 2 && std::all_of(d.begin(), d.end(), [](std::int64_t v) { return v == 1; });
  if (options.groups() != 1 || !unit_dilation) {
    std::ostringstream got;
    got << "conv_transpose2d: only groups 1 and dilation 1 are supported, got groups " << options.groups()
        << " and dilation " << d;
    throw Error(got.str());
  }
  return tg::conv_transpose2d(x, weight, options.bias(), options.stride(), options.padding(), options.output_padding());
}

}  // namespace tg::nn::functional
