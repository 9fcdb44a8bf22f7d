#include <tapegrad/ops/avg_pool.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <tapegrad/core/tape.hpp>

namespace tg {

namespace {

// One window along one axis: the inputs it reads [lo, hi), and the divisor's factor along this axis.
struct Span {
  std::size_t lo, hi, size;
};

// The windows of a pooling along one axis, each with its inputs and divisor factor.
using Spans = std::vector<Span>;

// A whole plane's windows: out (OH, OW) from a (H, W) plane, out[i][j] = sum / divisor[i][j].
template <class T>
struct PoolPlan {
  Spans rows, cols;
  std::vector<T> inv_divisor;  // (OH·OW)
};

template <class T>
void pool_forward(const T* x, const PoolPlan<T>& p, std::size_t W, T* out) {
  const std::size_t OW = p.cols.size();
  for (std::size_t i = 0; i < p.rows.size(); ++i)
    for (std::size_t j = 0; j < OW; ++j) {
      T s = T(0);
      for (std::size_t h = p.rows[i].lo; h < p.rows[i].hi; ++h)
        for (std::size_t w = p.cols[j].lo; w < p.cols[j].hi; ++w) s += x[h * W + w];
      out[i * OW + j] = s * p.inv_divisor[i * OW + j];
    }
}

template <class T>
void pool_backward(const T* g, const PoolPlan<T>& p, std::size_t W, T* dx) {
  const std::size_t OW = p.cols.size();
  for (std::size_t i = 0; i < p.rows.size(); ++i)
    for (std::size_t j = 0; j < OW; ++j) {
      const T v = g[i * OW + j] * p.inv_divisor[i * OW + j];
      for (std::size_t h = p.rows[i].lo; h < p.rows[i].hi; ++h)
        for (std::size_t w = p.cols[j].lo; w < p.cols[j].hi; ++w) dx[h * W + w] += v;
    }
}

// Runs the plan over every (H, W) plane of x (whose last two dims are H, W) into out_shape.
template <class T>
Variable<T> pool(const char* op, const Variable<T>& x, std::shared_ptr<const PoolPlan<T>> plan, Shape out_shape) {
  const Shape& xs = x.shape();
  const std::size_t H = xs[xs.size() - 2], W = xs[xs.size() - 1];
  const std::size_t plane = H * W, L = plan->rows.size() * plan->cols.size();
  const std::size_t planes = plane ? x.numel() / plane : 0;
  Array<T> out = Array<T>::from_shape(out_shape);
  for (std::size_t k = 0; k < planes; ++k) pool_forward(x.value().data() + k * plane, *plan, W, out.data() + k * L);
  return record<T>(op, std::move(out), {x}, [plan, planes, plane, L, W](Array<T>& g, Grads<T>& grads) {
    T* dx = grads.zeroed_buffer(0);
    for (std::size_t k = 0; k < planes; ++k) pool_backward(g.data() + k * L, *plan, W, dx + k * plane);
  });
}

// PyTorch's pooling_output_shape along one axis, and each window's span.
Spans avg_spans(std::size_t in, std::size_t k, std::size_t s, std::size_t p, bool ceil_mode) {
  const std::size_t padded = in + 2 * p;
  std::size_t out = (padded - k + (ceil_mode ? s - 1 : 0)) / s + 1;
  if (ceil_mode && (out - 1) * s >= in + p) --out;  // the last window must start inside input or left padding
  Spans spans(out);
  for (std::size_t i = 0; i < out; ++i) {
    const std::size_t start = i * s, end = std::min(start + k, in + 2 * p);  // in padded coordinates
    spans[i] = {std::max(start, p) - p, std::min(end, in + p) - p, end - start};
    if (spans[i].lo > spans[i].hi) spans[i].lo = spans[i].hi;  // a window that lies in the padding only
  }
  return spans;
}

}  // namespace

template <class T>
Variable<T> avg_pool2d(const Variable<T>& x, std::array<std::size_t, 2> kernel, std::array<std::size_t, 2> stride,
                       std::array<std::size_t, 2> padding, bool ceil_mode, bool count_include_pad,
                       std::optional<std::int64_t> divisor_override) {
  if (x.dim() != 4 && x.dim() != 3) throw Error("avg_pool2d: expected input (N, C, H, W) or (C, H, W), got " + shape_str(x.shape()));
  if (kernel[0] == 0 || kernel[1] == 0) throw Error("avg_pool2d: kernel size " + shape_str(kernel) + " must be positive");
  if (stride[0] == 0 || stride[1] == 0) throw Error("avg_pool2d: stride " + shape_str(stride) + " must be positive");
  if (2 * padding[0] > kernel[0] || 2 * padding[1] > kernel[1])
    throw Error("avg_pool2d: padding " + shape_str(padding) + " must be at most half the kernel " + shape_str(kernel));
  if (divisor_override && *divisor_override <= 0)
    throw Error("avg_pool2d: divisor_override must be positive, got " + std::to_string(*divisor_override));
  const Shape& xs = x.shape();
  const std::size_t H = xs[xs.size() - 2], W = xs[xs.size() - 1];
  if (kernel[0] > H + 2 * padding[0] || kernel[1] > W + 2 * padding[1])
    throw Error("avg_pool2d: kernel " + shape_str(kernel) + " is larger than the padded input (" +
                std::to_string(H + 2 * padding[0]) + ", " + std::to_string(W + 2 * padding[1]) + ") of input " +
                shape_str(xs));

  auto plan = std::make_shared<PoolPlan<T>>();
  plan->rows = avg_spans(H, kernel[0], stride[0], padding[0], ceil_mode);
  plan->cols = avg_spans(W, kernel[1], stride[1], padding[1], ceil_mode);
  for (const Span& r : plan->rows)
    for (const Span& c : plan->cols) {
      const std::size_t divisor = divisor_override ? std::size_t(*divisor_override)
                                  : count_include_pad ? r.size * c.size
                                                      : (r.hi - r.lo) * (c.hi - c.lo);
      plan->inv_divisor.push_back(T(1) / T(divisor));
    }
  Shape out_shape = xs;
  out_shape[xs.size() - 2] = plan->rows.size();
  out_shape[xs.size() - 1] = plan->cols.size();
  return pool<T>("avg_pool2d", x, std::move(plan), std::move(out_shape));
}

template <class T>
Variable<T> adaptive_avg_pool2d(const Variable<T>& x, std::array<std::size_t, 2> output_size) {
  if (x.dim() != 4 && x.dim() != 3)
    throw Error("adaptive_avg_pool2d: expected input (N, C, H, W) or (C, H, W), got " + shape_str(x.shape()));
  const Shape& xs = x.shape();
  const std::size_t H = xs[xs.size() - 2], W = xs[xs.size() - 1];
  if (H == 0 || W == 0) throw Error("adaptive_avg_pool2d: expected a non-empty plane, got input " + shape_str(xs));
  auto spans = [](std::size_t in, std::size_t out) {
    Spans s(out);
    for (std::size_t i = 0; i < out; ++i) {
      const std::size_t lo = i * in / out, hi = ((i + 1) * in + out - 1) / out;
      s[i] = {lo, hi, hi - lo};
    }
    return s;
  };
  auto plan = std::make_shared<PoolPlan<T>>();
  plan->rows = spans(H, output_size[0]);
  plan->cols = spans(W, output_size[1]);
  for (const Span& r : plan->rows)
    for (const Span& c : plan->cols) plan->inv_divisor.push_back(T(1) / T(r.size * c.size));
  Shape out_shape = xs;
  out_shape[xs.size() - 2] = output_size[0];
  out_shape[xs.size() - 1] = output_size[1];
  return pool<T>("adaptive_avg_pool2d", x, std::move(plan), std::move(out_shape));
}

#define TG_INSTANTIATE(T)                                                                                      \
  template Variable<T> avg_pool2d(const Variable<T>&, std::array<std::size_t, 2>, std::array<std::size_t, 2>, \
                                  std::array<std::size_t, 2>, bool, bool, std::optional<std::int64_t>);      \
  template Variable<T> adaptive_avg_pool2d(const Variable<T>&, std::array<std::size_t, 2>);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)
#undef TG_INSTANTIATE

}  // namespace tg
