#include <tapegrad/reference/manual_backward.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <tapegrad/core/blas.hpp>
#include <tapegrad/kernels/dispatch.hpp>
#include <tapegrad/ops/detail/index_check.hpp>
#include <tapegrad/reference/im2col.hpp>

namespace tg::manual {
namespace {

template <class T>
void check_same_shape(const char* fn, const char* a_name, const Array<T>& a, const char* b_name, const Array<T>& b) {
  if (a.shape() != b.shape())
    throw Error(std::string(fn) + ": expected " + a_name + " and " + b_name + " of the same shape, got " +
                shape_str(a.shape()) + " and " + shape_str(b.shape()));
}

// Checks inp (N, in) and out_grad (N, out) against a weight whose (in, out) sizes sit at dims
// (in_dim, 1 - in_dim), so one check serves both layouts.
template <class T>
void check_linear(const char* fn, const Array<T>& inp, const Array<T>& out_grad, const Array<T>& w,
                  std::size_t in_dim, const char* w_layout) {
  if (inp.dimension() != 2 || out_grad.dimension() != 2 || w.dimension() != 2 ||
      inp.shape()[0] != out_grad.shape()[0] || w.shape()[in_dim] != inp.shape()[1] ||
      w.shape()[1 - in_dim] != out_grad.shape()[1])
    throw Error(std::string(fn) + ": expected inp (N, in), out_grad (N, out) and w " + w_layout + ", got inp " +
                shape_str(inp.shape()) + ", out_grad " + shape_str(out_grad.shape()) + ", w " + shape_str(w.shape()));
}

}  // namespace

template <class T>
Array<T> mse_grad(const Array<T>& out, const Array<T>& targ) {
  if (out.dimension() != 2 || out.shape()[1] != 1 || targ.dimension() != 1 || targ.shape()[0] != out.shape()[0])
    throw Error("mse_grad: expected out (N, 1) and targ (N,), got " + shape_str(out.shape()) + " and " +
                shape_str(targ.shape()));
  const std::size_t n = targ.size();
  Array<T> d(out.shape());
  const T *o = out.data(), *t = targ.data();
  T* dd = d.data();
  for (std::size_t i = 0; i < n; ++i) dd[i] = T(2) * (o[i] - t[i]) / T(n);
  return d;
}

template <class T>
Array<T> relu_grad(const Array<T>& inp, const Array<T>& out_grad) {
  check_same_shape("relu_grad", "inp", inp, "out_grad", out_grad);
  Array<T> d = Array<T>::from_shape(inp.shape());
  // Raw pointers, read unconditionally: GCC vectorises this into a compare and a blend.
  const T *x = inp.data(), *g = out_grad.data();
  T* dx = d.data();
  for (std::size_t k = 0; k < d.size(); ++k) dx[k] = x[k] > T(0) ? g[k] : T(0);
  return d;
}

template <class T>
LinearGrads<T> lin_grad(const Array<T>& inp, const Array<T>& out_grad, const Array<T>& w, bool input_grad) {
  check_linear("lin_grad", inp, out_grad, w, 0, "(in, out)");
  const std::size_t n = inp.shape()[0], in = inp.shape()[1], out = out_grad.shape()[1];
  LinearGrads<T> r{Array<T>(), Array<T>::from_shape({in, out}), Array<T>::from_shape({out})};
  const T* g = out_grad.data();
  if (input_grad) {
    r.inp = Array<T>::from_shape({n, in});
    blas::gemm<T>(false, true, n, in, out, T(1), g, out, w.data(), out, T(0), r.inp.data(), in);  // d out @ wᵀ
  }
  blas::gemm<T>(true, false, in, out, n, T(1), inp.data(), in, g, out, T(0), r.w.data(), out);  // inpᵀ @ d out
  kernels::column_sums(g, n, out, r.b.data(), /*fresh=*/true);  // Σ_i d out[i, :]
  return r;
}

template <class T>
LinearGrads<T> linear_grad(const Array<T>& inp, const Array<T>& out_grad, const Array<T>& w, bool input_grad) {
  check_linear("linear_grad", inp, out_grad, w, 1, "(out, in)");
  const std::size_t n = inp.shape()[0], in = inp.shape()[1], out = out_grad.shape()[1];
  LinearGrads<T> r{Array<T>(), Array<T>::from_shape({out, in}), Array<T>::from_shape({out})};
  const T* g = out_grad.data();
  if (input_grad) {
    r.inp = Array<T>::from_shape({n, in});
    blas::gemm<T>(false, false, n, in, out, T(1), g, out, w.data(), in, T(0), r.inp.data(), in);  // d out @ w
  }
  blas::gemm<T>(true, false, out, in, n, T(1), g, out, inp.data(), in, T(0), r.w.data(), in);  // d outᵀ @ inp
  kernels::column_sums(g, n, out, r.b.data(), /*fresh=*/true);  // Σ_i d out[i, :]
  return r;
}

template <class T>
Array<T> cross_entropy_grad(const Array<T>& logits, const Labels& target) {
  if (logits.dimension() != 2 || target.dimension() != 1 || target.shape()[0] != logits.shape()[0])
    throw Error("cross_entropy_grad: expected logits (N, C) and target (N,), got " + shape_str(logits.shape()) +
                " and " + shape_str(target.shape()));
  const std::size_t n = logits.shape()[0], c = logits.shape()[1];
  detail::check_in_range("cross_entropy_grad", "target", target, c, std::to_string(c) + " classes");
  Array<T> d = Array<T>::from_shape(logits.shape());
  for (std::size_t i = 0; i < n; ++i) {
    const T* x = logits.data() + i * c;
    T* di = d.data() + i * c;
    // softmax(x) = exp(x - max) / Σ exp(x - max): the max keeps exp finite.
    const T m = *std::max_element(x, x + c);
    T sum = 0;
    for (std::size_t j = 0; j < c; ++j) sum += di[j] = std::exp(x[j] - m);
    for (std::size_t j = 0; j < c; ++j) di[j] = di[j] / sum / T(n);
    di[target.data()[i]] -= T(1) / T(n);
  }
  return d;
}

template <class T>
Conv2dGrads<T> conv2d_grad(const Array<T>& input, const Array<T>& out_grad, const Array<T>& weight,
                           std::array<std::size_t, 2> stride, std::array<std::size_t, 2> padding) {
  if (input.dimension() != 4 || weight.dimension() != 4 || input.shape()[1] != weight.shape()[1])
    throw Error("conv2d_grad: expected input (N, C, H, W) and weight (O, C, kh, kw) with the same C, got " +
                shape_str(input.shape()) + " and " + shape_str(weight.shape()));
  const auto& xs = input.shape();
  const auto& ws = weight.shape();
  const Conv2dGeometry g = kernels::conv2d_geometry("conv2d_grad", xs[1], xs[2], xs[3], {ws[2], ws[3]}, stride, padding);
  const std::size_t N = xs[0], O = ws[0], K = g.patch_size(), L = g.out_size(), NL = N * L;
  const Shape expected{N, O, g.out_h, g.out_w};
  if (to_shape(out_grad.shape()) != expected)
    throw Error("conv2d_grad: expected out_grad " + shape_str(expected) + " for input " + shape_str(xs) +
                " and weight " + shape_str(ws) + ", got " + shape_str(out_grad.shape()));

  // cols (K, N·L): image n's patch matrix (K, L) in columns n·L .. n·L + L - 1.
  // D (O, N·L): d out with the batch moved inside the channel, so one product covers every image.
  std::vector<T> cols(K * NL), D(O * NL), patch(K * L);
  for (std::size_t n = 0; n < N; ++n) {
    im2col(input.data() + n * g.image_size(), g, patch.data());
    for (std::size_t k = 0; k < K; ++k) std::copy_n(patch.data() + k * L, L, cols.data() + k * NL + n * L);
    for (std::size_t o = 0; o < O; ++o) std::copy_n(out_grad.data() + (n * O + o) * L, L, D.data() + o * NL + n * L);
  }

  Conv2dGrads<T> r{Array<T>::from_shape(xs), Array<T>::from_shape(ws), Array<T>::from_shape({O})};
  blas::gemm<T>(false, true, O, K, NL, T(1), D.data(), NL, cols.data(), NL, T(0), r.weight.data(), K);  // D @ colsᵀ
  std::vector<T>& dcols = cols;  // cols is spent: reuse its storage for d cols = weightᵀ @ D
  blas::gemm<T>(true, false, K, NL, O, T(1), weight.data(), K, D.data(), NL, T(0), dcols.data(), NL);
  std::fill(r.input.begin(), r.input.end(), T(0));
  for (std::size_t n = 0; n < N; ++n) {
    for (std::size_t k = 0; k < K; ++k) std::copy_n(dcols.data() + k * NL + n * L, L, patch.data() + k * L);
    col2im(patch.data(), g, r.input.data() + n * g.image_size());
  }
  for (std::size_t o = 0; o < O; ++o) {  // Σ over images and positions: one row of D
    const T* row = D.data() + o * NL;
    T s = 0;
    for (std::size_t j = 0; j < NL; ++j) s += row[j];
    r.bias.data()[o] = s;
  }
  return r;
}

template <class T>
Difference difference(const Array<T>& got, const Array<T>& reference) {
  check_same_shape("difference", "got", got, "reference", reference);
  double max_abs = 0, max_ref = 0;
  for (std::size_t k = 0; k < got.size(); ++k) {
    const double a = got.data()[k], b = reference.data()[k];
    if (std::isnan(a - b)) return {a - b, a - b};  // NaN must not hide behind max's comparisons
    max_abs = std::max(max_abs, std::abs(a - b));
    max_ref = std::max(max_ref, std::abs(b));
  }
  return {max_abs, max_abs == 0 ? 0.0 : max_abs / max_ref};
}

#define TG_INSTANTIATE(T)                                                                                         \
  template Array<T> mse_grad(const Array<T>&, const Array<T>&);                                                \
  template Array<T> relu_grad(const Array<T>&, const Array<T>&);                                               \
  template LinearGrads<T> lin_grad(const Array<T>&, const Array<T>&, const Array<T>&, bool);                   \
  template LinearGrads<T> linear_grad(const Array<T>&, const Array<T>&, const Array<T>&, bool);                \
  template Array<T> cross_entropy_grad(const Array<T>&, const Labels&);                                         \
  template Conv2dGrads<T> conv2d_grad(const Array<T>&, const Array<T>&, const Array<T>&,                       \
                                      std::array<std::size_t, 2>, std::array<std::size_t, 2>);                    \
  template Difference difference(const Array<T>&, const Array<T>&);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)
#undef TG_INSTANTIATE

}  // namespace tg::manual
