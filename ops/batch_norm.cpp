#include <tapegrad/ops/batch_norm.hpp>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include <xtensor/xadapt.hpp>

#include <tapegrad/core/tape.hpp>
#include <tapegrad/kernels/dispatch.hpp>
#include <tapegrad/ops/tensor_ops.hpp>

namespace tg {

namespace {

// x as (N, C, S): channel c of image n is the contiguous run at (n*C + c)*S. Runs shorter than a
// vector (S = 1 for (N, C) inputs) are swept as whole (C*S) rows instead, per-element accumulators
// over the channels, which the compiler vectorises.
struct Layout {
  std::size_t N, C, S;
  std::size_t count() const { return N * S; }  // values per channel
  bool by_rows() const { return S < 8; }
};

// Per channel: sum(x) and sum(g * x) (or only the first when g is null).
template <class T>
void channel_sums(const Layout& l, const T* x, const T* g, std::vector<T>& sum, std::vector<T>& dot) {
  sum.assign(l.C, T(0));
  dot.assign(l.C, T(0));
  if (l.by_rows()) {
    for (std::size_t n = 0; n < l.N; ++n)
      for (std::size_t c = 0; c < l.C; ++c)
        for (std::size_t s = 0; s < l.S; ++s) {
          const std::size_t i = (n * l.C + c) * l.S + s;
          if (g) {
            sum[c] += g[i];
            dot[c] += g[i] * x[i];
          } else {
            sum[c] += x[i];
          }
        }
    return;
  }
  for (std::size_t n = 0; n < l.N; ++n)
    for (std::size_t c = 0; c < l.C; ++c) {
      const std::size_t at = (n * l.C + c) * l.S;
      if (g) {
        const auto [s, d] = kernels::row_sum_and_dot(g + at, x + at, l.S);
        sum[c] += s;
        dot[c] += d;
      } else {
        sum[c] += kernels::row_sum(x + at, l.S);
      }
    }
}

// Per channel: sum((x - mean)^2).
template <class T>
std::vector<T> channel_centered_sumsq(const Layout& l, const T* x, const std::vector<T>& mean) {
  std::vector<T> sq(l.C, T(0));
  for (std::size_t n = 0; n < l.N; ++n)
    for (std::size_t c = 0; c < l.C; ++c) {
      const std::size_t at = (n * l.C + c) * l.S;
      if (l.by_rows())
        for (std::size_t s = 0; s < l.S; ++s) sq[c] += (x[at + s] - mean[c]) * (x[at + s] - mean[c]);
      else
        sq[c] += kernels::row_centered_sumsq(x + at, l.S, mean[c]);
    }
  return sq;
}

// y = a[c] * g + b[c] * x + c[c] per channel (x may be null when b is all zero).
template <class T>
void channel_affine(const Layout& l, const T* g, const T* x, const std::vector<T>& a, const std::vector<T>& b,
                    const std::vector<T>& c0, T* y) {
  for (std::size_t n = 0; n < l.N; ++n)
    for (std::size_t c = 0; c < l.C; ++c) {
      const std::size_t at = (n * l.C + c) * l.S;
      if (!x) {
        if (l.by_rows())
          for (std::size_t s = 0; s < l.S; ++s) y[at + s] = a[c] * g[at + s] + c0[c];
        else
          kernels::row_affine(g + at, l.S, a[c], c0[c], y + at);
      } else if (l.by_rows()) {
        for (std::size_t s = 0; s < l.S; ++s) y[at + s] = a[c] * g[at + s] + (b[c] * x[at + s] + c0[c]);
      } else {
        kernels::row_affine2(g + at, x + at, l.S, a[c], b[c], c0[c], y + at);
      }
    }
}

template <class T>
void check_channels(const char* what, const Variable<T>& v, std::size_t C, const Shape& xs) {
  if (v.defined() && (v.dim() != 1 || v.shape()[0] != C))
    throw Error(std::string("batch_norm: expected ") + what + " (" + std::to_string(C) + ",) for input " +
                shape_str(xs) + ", got " + shape_str(v.shape()));
}

}  // namespace

template <class T>
Variable<T> batch_norm(const Variable<T>& x, const Variable<T>& weight, const Variable<T>& bias,
                       const Variable<T>& running_mean, const Variable<T>& running_var, bool training,
                       double momentum, double eps) {
  const Shape& xs = x.shape();
  if (x.dim() < 2) throw Error("batch_norm: expected input (N, C, *), got " + shape_str(xs));
  Layout l{xs[0], xs[1], 1};
  for (std::size_t d = 2; d < xs.size(); ++d) l.S *= xs[d];
  check_channels("weight", weight, l.C, xs);
  check_channels("bias", bias, l.C, xs);
  check_channels("running_mean", running_mean, l.C, xs);
  check_channels("running_var", running_var, l.C, xs);
  if (running_mean.defined() != running_var.defined())
    throw Error("batch_norm: running_mean and running_var must both be given or both be undefined");
  if (!training && !running_mean.defined())
    throw Error("batch_norm: evaluation (training false) needs running_mean and running_var");
  if (training && l.count() <= 1)
    throw Error("batch_norm: expected more than 1 value per channel when training, got input size " + shape_str(xs));
  if (!(eps >= 0)) throw Error("batch_norm: expected eps >= 0, got " + std::to_string(eps));

  const T* xv = x.value().data();
  const std::size_t C = l.C;
  auto mean = std::make_shared<std::vector<T>>(C);
  auto invstd = std::make_shared<std::vector<T>>(C);
  if (training) {
    std::vector<T> sum, unused;
    channel_sums<T>(l, xv, nullptr, sum, unused);
    const T M = T(l.count());
    for (std::size_t c = 0; c < C; ++c) (*mean)[c] = sum[c] / M;
    const std::vector<T> sq = channel_centered_sumsq(l, xv, *mean);
    for (std::size_t c = 0; c < C; ++c) (*invstd)[c] = T(1) / std::sqrt(sq[c] / M + T(eps));
    if (running_mean.defined()) {
      Variable<T> rm = running_mean, rv = running_var;
      T* rms = rm.value().data();
      T* rvs = rv.value().data();
      const T m = T(momentum);
      for (std::size_t c = 0; c < C; ++c) {
        rms[c] = (T(1) - m) * rms[c] + m * (*mean)[c];
        rvs[c] = (T(1) - m) * rvs[c] + m * sq[c] / (M - T(1));
      }
    }
  } else {
    for (std::size_t c = 0; c < C; ++c) {
      (*mean)[c] = running_mean.value().data()[c];
      (*invstd)[c] = T(1) / std::sqrt(running_var.value().data()[c] + T(eps));
    }
  }

  // y = scale * x + shift, scale = weight * invstd, shift = bias - mean * scale.
  std::vector<T> scale(C), shift(C);
  for (std::size_t c = 0; c < C; ++c) {
    scale[c] = (weight.defined() ? weight.value().data()[c] : T(1)) * (*invstd)[c];
    shift[c] = (bias.defined() ? bias.value().data()[c] : T(0)) - (*mean)[c] * scale[c];
  }
  Array<T> y = Array<T>::from_shape(xs);
  channel_affine<T>(l, xv, nullptr, scale, {}, shift, y.data());

  // Undefined weight or bias: a stand-in that never requires grad, so the op has one signature.
  static thread_local const Variable<T> none(Array<T>::from_shape({0}));
  const Variable<T>& w = weight.defined() ? weight : none;
  const Variable<T>& b = bias.defined() ? bias : none;
  const bool need_x = x.requires_grad() || w.requires_grad();
  return record<T>(
      "batch_norm", std::move(y), {x, w, b},
      [l, mean, invstd, training, xk = keep_if(need_x, x), wk = keep_if(x.requires_grad(), weight)](
          Array<T>& g, Grads<T>& grads) {
        const std::size_t C = l.C;
        const T M = T(l.count());
        // sum(g) and sum(g * xhat) = invstd * (sum(g * x) - mean * sum(g)) per channel.
        std::vector<T> gsum, gdot;
        channel_sums<T>(l, xk ? xk->data() : g.data(), xk ? g.data() : nullptr, gsum, gdot);
        if (!xk) gdot.assign(C, T(0));  // only the bias needs a gradient: gsum was summed from g itself
        std::vector<T> gxhat(C);
        for (std::size_t c = 0; c < C; ++c) gxhat[c] = (*invstd)[c] * (gdot[c] - (*mean)[c] * gsum[c]);
        if (grads.needs(0)) {
          // Training: dx = A*g + B*x + C0 with A = w*invstd, B = -A*invstd*sum(g*xhat)/M,
          // C0 = -A*sum(g)/M - B*mean. Evaluation: the statistics are constants, dx = A*g.
          std::vector<T> A(C), B(C, T(0)), C0(C, T(0));
          for (std::size_t c = 0; c < C; ++c) {
            A[c] = (wk ? wk->data()[c] : T(1)) * (*invstd)[c];
            if (training) {
              B[c] = -A[c] * (*invstd)[c] * gxhat[c] / M;
              C0[c] = -A[c] * gsum[c] / M - B[c] * (*mean)[c];
            }
          }
          bool fresh = false;
          T* dx = grads.buffer(0, fresh);
          if (fresh) {
            channel_affine<T>(l, g.data(), training ? xk->data() : nullptr, A, B, C0, dx);
          } else {
            Array<T> d = Array<T>::from_shape(g.shape());
            channel_affine<T>(l, g.data(), training ? xk->data() : nullptr, A, B, C0, d.data());
            grads.add(0, std::move(d));
          }
        }
        if (grads.needs(1)) grads.add(1, Array<T>(xt::adapt(gxhat, Shape{C})));
        if (grads.needs(2)) grads.add(2, Array<T>(xt::adapt(gsum, Shape{C})));
      });
}

#define TG_INSTANTIATE(T)                                                                                  \
  template Variable<T> batch_norm(const Variable<T>&, const Variable<T>&, const Variable<T>&,            \
                                  const Variable<T>&, const Variable<T>&, bool, double, double);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)
#undef TG_INSTANTIATE

}  // namespace tg

namespace tg::nn::functional {

Tensor batch_norm(const Tensor& x, const Tensor& running_mean, const Tensor& running_var,
                  const BatchNormFuncOptions& options) {
  if (!options.momentum())
    throw Error("batch_norm: BatchNormFuncOptions().momentum must be a number (None is the module's cumulative average)");
  return tg::batch_norm(x, options.weight(), options.bias(), running_mean, running_var, options.training(),
                        *options.momentum(), options.eps());
}

}  // namespace tg::nn::functional
