#include <tapegrad/ops/conv2d.hpp>

#include <algorithm>
#include <memory>
#include <numeric>

#include <tapegrad/core/blas.hpp>
#include <tapegrad/core/tape.hpp>
#include <tapegrad/core/detail/sum_rows.hpp>
#include <tapegrad/ops/im2col.hpp>

namespace tg {
namespace {

// Image n's patch matrix (C*kh*kw, OH*OW): written into `work`, or the image itself for a 1x1 kernel.
template <class T>
const T* patches(const T* image, const Conv2dGeometry& g, T* work) {
  if (g.is_pointwise()) return image;
  im2col(image, g, work);
  return work;
}

template <class T>
std::unique_ptr<T[]> uninitialized(std::size_t n) {
  return std::unique_ptr<T[]>(new T[n]);  // no zero-fill: every user overwrites it whole
}

}  // namespace

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
  const Conv2dGeometry g = conv2d_geometry("conv2d", xs[1], xs[2], xs[3], {ws[2], ws[3]}, stride, padding);
  const std::size_t N = xs[0], O = ws[0], K = g.patch_size(), L = g.out_size();

  // Per image: out_n (O, L) = W (O, K) · cols_n (K, L), bias preloaded so the GEMM adds onto it.
  // When W needs a gradient, every image's patches are kept for dW (K·L floats an image: 2.8 MB for
  // the MNIST CNN's batch of 64) instead of x: recomputing them cost 15% of the layer's time.
  Tensor<T> out = Tensor<T>::from_shape({N, O, g.out_h, g.out_w});
  const T* w = weight.value().data();
  const bool keep_cols = weight.requires_grad() && GradMode::is_enabled() && !g.is_pointwise();
  std::shared_ptr<T[]> all_cols(keep_cols ? new T[N * K * L] : nullptr);
  auto work = uninitialized<T>(g.is_pointwise() || keep_cols ? 0 : K * L);
  for (std::size_t n = 0; n < N; ++n) {
    T* yn = out.data() + n * O * L;
    if (has_bias)
      for (std::size_t o = 0; o < O; ++o) std::fill(yn + o * L, yn + (o + 1) * L, bias.value().data()[o]);
    const T* cols = patches(x.value().data() + n * g.image_size(), g, keep_cols ? &all_cols[n * K * L] : work.get());
    blas::gemm<T>(false, false, O, L, K, T(1), w, K, cols, L, has_bias ? T(1) : T(0), yn, L);
  }

  auto backward = [xv = keep_if(weight.requires_grad() && !keep_cols, x), all_cols,
                   wv = keep_if(x.requires_grad(), weight), g, N, O, has_bias](Tensor<T>& gy, Grads<T>& grads) {
    const std::size_t K = g.patch_size(), L = g.out_size();
    const T* dy = gy.data();
    auto work = uninitialized<T>(g.is_pointwise() ? 0 : K * L);
    bool fresh = false;
    if (grads.needs(1)) {  // dW (O, K) += dY_n (O, L) · cols_nᵀ
      T* dw = grads.buffer(1, fresh);
      for (std::size_t n = 0; n < N; ++n) {
        const T* cols = all_cols ? &all_cols[n * K * L] : patches(xv->data() + n * g.image_size(), g, work.get());
        blas::gemm<T>(false, true, O, K, L, T(1), dy + n * O * L, L, cols, L, fresh && n == 0 ? T(0) : T(1), dw, K);
      }
    }
    if (grads.needs(0)) {  // dX_n += col2im(Wᵀ · dY_n)
      T* dx = grads.zeroed_buffer(0);
      for (std::size_t n = 0; n < N; ++n) {
        T* dxn = dx + n * g.image_size();
        if (g.is_pointwise()) {  // cols is the image: the GEMM adds straight into it
          blas::gemm<T>(true, false, K, L, O, T(1), wv->data(), K, dy + n * O * L, L, T(1), dxn, L);
        } else {
          blas::gemm<T>(true, false, K, L, O, T(1), wv->data(), K, dy + n * O * L, L, T(0), work.get(), L);
          col2im(work.get(), g, dxn);
        }
      }
    }
    if (has_bias && grads.needs(2)) {  // db[o] += sum of dY[:, o, :]: over images first, as whole rows
      auto per_position = uninitialized<T>(O * L);
      detail::sum_rows(dy, N, O * L, per_position.get(), /*fresh=*/true);
      T* db = grads.buffer(2, fresh);
      for (std::size_t o = 0; o < O; ++o) {
        const T* row = per_position.get() + o * L;
        const T s = std::accumulate(row, row + L, T(0));
        db[o] = fresh ? s : db[o] + s;
      }
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
