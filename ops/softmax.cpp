#include <tapegrad/ops/softmax.hpp>

#include <tapegrad/core/tape.hpp>
#include <tapegrad/kernels/dispatch.hpp>
#include <tapegrad/ops/shape.hpp>

namespace tg {
namespace {

// A tensor seen along its last dim: `count` contiguous rows of `n` elements.
struct Rows {
  std::size_t count, n;
};

Rows last_dim_rows(const Shape& s) {
  Rows r{1, s.back()};
  for (std::size_t k = 0; k + 1 < s.size(); ++k) r.count *= s[k];
  return r;
}

template <class T>
Variable<T> logsumexp_last(const Variable<T>& x, bool keepdim) {
  const Rows r = last_dim_rows(x.shape());
  Shape out_shape = x.shape();
  if (keepdim)
    out_shape.back() = 1;
  else
    out_shape.pop_back();
  Array<T> out = Array<T>::from_shape(out_shape);
  std::vector<kernels::RowLse<T>> lse(r.count);  // in parts, for an exact softmax in the backward
  for (std::size_t i = 0; i < r.count; ++i) {
    lse[i] = kernels::row_logsumexp(x.value().data() + i * r.n, r.n);
    out.data()[i] = lse[i].value();
  }
  // d lse_i / d x_ij = softmax(x_i)_j, scaled by g_i straight into the gradient buffer.
  return record<T>("logsumexp", std::move(out), {x},
                   [xv = x.value_ptr(), lse = std::move(lse), r](Array<T>& g, Grads<T>& grads) {
                     bool fresh = false;
                     T* dx = grads.buffer(0, fresh);
                     for (std::size_t i = 0; i < r.count; ++i)
                       kernels::row_scaled_exp(xv->data() + i * r.n, lse[i], g.data()[i], dx + i * r.n, r.n, !fresh);
                   });
}

template <class T>
Variable<T> log_softmax_last(const Variable<T>& x) {
  const Rows r = last_dim_rows(x.shape());
  auto out = make_shared_array<T>(Array<T>::from_shape(x.shape()));
  for (std::size_t i = 0; i < r.count; ++i) {
    const T* xi = x.value().data() + i * r.n;
    T* yi = out->data() + i * r.n;
    const kernels::RowLse<T> lse = kernels::row_logsumexp(xi, r.n);
    for (std::size_t k = 0; k < r.n; ++k) yi[k] = (xi[k] - lse.max) - lse.log_sum;
  }
  // dx = g - softmax * sum(g) per row, with softmax = exp(y); computed in place in g.
  return record<T>("log_softmax", out, {x}, [out, r](Array<T>& g, Grads<T>& grads) {
    for (std::size_t i = 0; i < r.count; ++i) {
      T* gi = g.data() + i * r.n;
      kernels::row_scaled_exp(out->data() + i * r.n, kernels::RowLse<T>{0, 0}, -kernels::row_sum(gi, r.n), gi, r.n,
                             /*accumulate=*/true);
    }
    grads.add(0, std::move(g));
  });
}

template <class T>
Variable<T> softmax_last(const Variable<T>& x) {
  const Rows r = last_dim_rows(x.shape());
  auto out = make_shared_array<T>(Array<T>::from_shape(x.shape()));
  for (std::size_t i = 0; i < r.count; ++i) {
    const T* xi = x.value().data() + i * r.n;
    kernels::row_scaled_exp(xi, kernels::row_logsumexp(xi, r.n), T(1), out->data() + i * r.n, r.n);
  }
  // dx = y * (g - <g, y>) per row; computed in place in g.
  return record<T>("softmax", out, {x}, [out, r](Array<T>& g, Grads<T>& grads) {
    for (std::size_t i = 0; i < r.count; ++i) {
      T* gi = g.data() + i * r.n;
      const T* yi = out->data() + i * r.n;
      const T dot = kernels::row_dot(gi, yi, r.n);
      for (std::size_t k = 0; k < r.n; ++k) gi[k] = yi[k] * (gi[k] - dot);
    }
    grads.add(0, std::move(g));
  });
}

}  // namespace

template <class T>
Variable<T> logsumexp(const Variable<T>& x, std::ptrdiff_t dim, bool keepdim) {
  const std::size_t d = normalize_dim(dim, x.dim(), "logsumexp");
  if (d == x.dim() - 1) return logsumexp_last(x, keepdim);
  // Moved last with the other dims kept in order, so the reduced result is already in place.
  std::vector<std::ptrdiff_t> order;
  for (std::size_t k = 0; k < x.dim(); ++k)
    if (k != d) order.push_back(static_cast<std::ptrdiff_t>(k));
  order.push_back(static_cast<std::ptrdiff_t>(d));
  Variable<T> reduced = logsumexp_last(permute(x, order), false);
  if (!keepdim) return reduced;
  std::vector<std::ptrdiff_t> kept(x.shape().begin(), x.shape().end());
  kept[d] = 1;
  return reshape(reduced, kept);
}

template <class T>
Variable<T> log_softmax(const Variable<T>& x, std::ptrdiff_t dim) {
  const auto d = static_cast<std::ptrdiff_t>(normalize_dim(dim, x.dim(), "log_softmax"));
  if (d == static_cast<std::ptrdiff_t>(x.dim()) - 1) return log_softmax_last(x);
  return transpose(log_softmax_last(transpose(x, d, -1)), d, -1);
}

template <class T>
Variable<T> softmax(const Variable<T>& x, std::ptrdiff_t dim) {
  const auto d = static_cast<std::ptrdiff_t>(normalize_dim(dim, x.dim(), "softmax"));
  if (d == static_cast<std::ptrdiff_t>(x.dim()) - 1) return softmax_last(x);
  return transpose(softmax_last(transpose(x, d, -1)), d, -1);
}

#define TG_INSTANTIATE(T)                                                 \
  template Variable<T> logsumexp(const Variable<T>&, std::ptrdiff_t, bool); \
  template Variable<T> log_softmax(const Variable<T>&, std::ptrdiff_t);     \
  template Variable<T> softmax(const Variable<T>&, std::ptrdiff_t);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)
#undef TG_INSTANTIATE

}  // namespace tg
