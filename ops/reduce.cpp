#include <tapegrad/ops/reduce.hpp>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <utility>

#include <xtensor/xnoalias.hpp>

#include <tapegrad/core/tape.hpp>
#include <tapegrad/kernels/dispatch.hpp>

namespace tg {
namespace {

// A tensor seen as (outer, n, inner) around the consecutive dims [begin, end): element (o, j, i) is
// at (o * n + j) * inner + i. Reducing over j is then a loop over contiguous rows of `inner` values.
struct Block {
  std::size_t outer = 1, n = 1, inner = 1;
};

Block block_of(const Shape& shape, std::size_t begin, std::size_t end) {
  Block b;
  for (std::size_t d = 0; d < shape.size(); ++d) (d < begin ? b.outer : d < end ? b.n : b.inner) *= shape[d];
  return b;
}

// Calls f(input offset, output offset) for each element (o, j, i) of a block, in memory order.
template <class F>
void for_each_in_block(const Block& b, F f) {
  std::size_t k = 0;
  for (std::size_t o = 0; o < b.outer; ++o) {
    if (b.inner == 1) {  // a reduced last dim: one flat loop per row, not a loop of one-element loops
      for (std::size_t j = 0; j < b.n; ++j) f(k++, o);
      continue;
    }
    for (std::size_t j = 0; j < b.n; ++j)
      for (std::size_t i = 0; i < b.inner; ++i) f(k++, o * b.inner + i);
  }
}

// What a reduction removes, as runs of consecutive reduced dims: each run is one Block, so a sum over
// dims (0, 2) is two block sums and a sum over (1, 2) is one.
struct ReducedDims {
  Shape in_shape;
  Shape kept_shape;  // in_shape with each reduced dim set to 1: the keepdim shape
  Shape out_shape;   // kept_shape, or without the reduced dims unless keepdim
  std::vector<std::pair<std::size_t, std::size_t>> runs;  // [begin, end) of each run of reduced dims
  std::size_t count = 1;                                  // input elements per output element
};

ReducedDims make_reduction(const Shape& in_shape, const std::vector<bool>& reduced, bool keepdim) {
  ReducedDims r{in_shape, in_shape, {}, {}, 1};
  for (std::size_t d = 0; d < in_shape.size(); ++d) {
    if (!reduced[d]) {
      r.out_shape.push_back(in_shape[d]);
      continue;
    }
    r.kept_shape[d] = 1;
    r.count *= in_shape[d];
    if (keepdim) r.out_shape.push_back(1);
    if (r.runs.empty() || r.runs.back().second != d) r.runs.emplace_back(d, d);
    r.runs.back().second = d + 1;
  }
  // Reducing a 0-d tensor: one empty run, whose block (1, 1, 1) copies the single element.
  if (r.runs.empty()) r.runs.emplace_back(0, 0);
  return r;
}

ReducedDims reduce_all(const Shape& shape) { return make_reduction(shape, std::vector<bool>(shape.size(), true), false); }

ReducedDims reduce_dims(const Shape& shape, const std::vector<std::ptrdiff_t>& dims, bool keepdim, const char* op) {
  if (dims.empty())
    throw Error(std::string(op) + ": expected at least one dim in dims, got none (" + op +
                "(x) without dims reduces every element)");
  std::vector<bool> reduced(shape.size(), false);
  for (const std::ptrdiff_t dim : dims) {
    const std::size_t d = normalize_dim(dim, shape.size(), op);
    if (reduced[d])
      throw Error(std::string(op) + ": dims " + shape_str(dims) + " name dim " + std::to_string(d) +
                  " more than once for an input of shape " + shape_str(shape) + " (expected distinct dims)");
    reduced[d] = true;
  }
  return make_reduction(shape, reduced, keepdim);
}

// dst(o, i) = sum over j of src(o, j, i): the (n, inner) block of each o summed down its columns
// (xtensor's lazy xt::sum over axis 0 is about 10x slower).
template <class T>
void sum_block(const T* src, const Block& b, T* dst) {
  for (std::size_t o = 0; o < b.outer; ++o, src += b.n * b.inner, dst += b.inner)
    kernels::column_sums(src, b.n, b.inner, dst, /*fresh=*/true);
}

// dst(o, j, i) = scale * src(o, i): the reverse of sum_block.
template <class T>
void expand_block(const T* src, const Block& b, T scale, T* dst) {
  for (std::size_t o = 0; o < b.outer; ++o, src += b.inner, dst += b.n * b.inner) {
    if (b.inner == 1) {
      std::fill(dst, dst + b.n, scale * *src);
      continue;
    }
    for (std::size_t j = 0; j < b.n; ++j) {
      T* row = dst + j * b.inner;
      for (std::size_t i = 0; i < b.inner; ++i) row[i] = scale * src[i];
    }
  }
}

// x summed over the reduction's dims, one run at a time, shaped as the reduction's output.
template <class T>
Array<T> sum_over(const Array<T>& x, const ReducedDims& r) {
  Array<T> partial;
  const T* src = x.data();
  Shape shape = r.in_shape;
  for (const auto& [begin, end] : r.runs) {
    const Block b = block_of(shape, begin, end);
    std::fill(shape.begin() + begin, shape.begin() + end, 1);
    Array<T> next = Array<T>::from_shape(shape);
    sum_block(src, b, next.data());
    partial = std::move(next);
    src = partial.data();
  }
  partial.reshape(r.out_shape);
  return partial;
}

// The gradient of a reduction's input: g (of the output's shape) copied along every reduced dim, times
// scale. The one place sum, mean and amax broadcast their gradient back.
template <class T>
Array<T> expand_reduced(const Array<T>& g, const ReducedDims& r, T scale) {
  Array<T> expanded;
  const T* src = g.data();
  Shape shape = r.kept_shape;
  for (const auto& [begin, end] : r.runs) {
    std::copy(r.in_shape.begin() + begin, r.in_shape.begin() + end, shape.begin() + begin);
    Array<T> next = Array<T>::from_shape(shape);
    expand_block(src, block_of(shape, begin, end), scale, next.data());
    scale = T(1);
    expanded = std::move(next);
    src = expanded.data();
  }
  return expanded;
}

template <class T>
Variable<T> sum_or_mean(const Variable<T>& x, ReducedDims r, bool average, const char* op) {
  Array<T> out = sum_over(x.value(), r);
  // mean of no elements is 0 / 0 = NaN, as in torch.
  if (average) xt::noalias(out) /= T(r.count);
  const T scale = average ? T(1) / T(r.count) : T(1);
  return record<T>(op, std::move(out), {x}, [r = std::move(r), scale](Array<T>& g, Grads<T>& grads) {
    grads.add(0, expand_reduced(g, r, scale));
  });
}

// NaN counts as the largest value, equal to any other NaN, so a NaN input is never lost. Both tests
// use only quiet comparisons combined without branches, which lets GCC vectorise the loops using them.
template <class T>
bool same_value(T a, T b) {
  return (a == b) | ((a != a) & (b != b));
}
// Whether `candidate` replaces `best` in a max scan: it is larger, or it is NaN and best is not yet
// (so the first NaN, like the first of tied maxima, is kept).
template <class T>
bool beats(T candidate, T best) {
  return !(candidate <= best) && best == best;
}

// Along the block's middle dim: the largest value and its first position.
template <class T>
void max_block(const T* src, const Block& b, T* values, std::int64_t* indices) {
  for (std::size_t o = 0; o < b.outer; ++o, src += b.n * b.inner, values += b.inner, indices += b.inner) {
    if (b.inner == 1) {  // one contiguous row: a scalar scan (rows of one-element loops are slow)
      T best = src[0];
      std::size_t at = 0;
      for (std::size_t j = 1; j < b.n; ++j)
        if (beats(src[j], best)) {
          best = src[j];
          at = j;
        }
      *values = best;
      *indices = static_cast<std::int64_t>(at);
      continue;
    }
    std::copy(src, src + b.inner, values);
    std::fill(indices, indices + b.inner, 0);
    for (std::size_t j = 1; j < b.n; ++j) {
      const T* row = src + j * b.inner;
      for (std::size_t i = 0; i < b.inner; ++i)
        if (beats(row[i], values[i])) {
          values[i] = row[i];
          indices[i] = static_cast<std::int64_t>(j);
        }
    }
  }
}

// A product of every element or along one dim: the reduction and, around the reduced elements, its block.
struct ProdPlan {
  ReducedDims r;
  Block b;
};

ProdPlan prod_plan(const Shape& shape, std::optional<std::ptrdiff_t> dim, bool keepdim) {
  if (dim && shape.empty()) normalize_dim(*dim, 1, "prod");  // a 0-d tensor takes dim 0 or -1, as torch's
  if (!dim || shape.empty()) return {reduce_all(shape), block_of(shape, 0, shape.size())};
  ReducedDims r = reduce_dims(shape, {*dim}, keepdim, "prod");
  const std::size_t d = r.runs.front().first;
  return {std::move(r), block_of(shape, d, d + 1)};
}

// dst(o, i) = product over j of src(o, j, i), a row at a time.
template <class T>
void prod_block(const T* src, const Block& b, T* dst) {
  for (std::size_t o = 0; o < b.outer; ++o, dst += b.inner) {
    std::fill(dst, dst + b.inner, T(1));
    for (std::size_t j = 0; j < b.n; ++j, src += b.inner)
      for (std::size_t i = 0; i < b.inner; ++i) dst[i] *= src[i];
  }
}

// dx(o, j, i) = g(o, i) times the product of x(o, j', i) over j' != j: the products before j in a
// forward pass, those after it in a backward pass.
template <class T>
void prod_grad_block(const T* x, const T* g, const Block& b, T* dx) {
  std::vector<T> run(b.inner);
  const std::size_t slab = b.n * b.inner;
  for (std::size_t o = 0; o < b.outer; ++o, x += slab, dx += slab, g += b.inner) {
    std::fill(run.begin(), run.end(), T(1));
    for (std::size_t j = 0; j < b.n; ++j)
      for (std::size_t i = 0, at = j * b.inner; i < b.inner; ++i, ++at) {
        dx[at] = g[i] * run[i];
        run[i] *= x[at];
      }
    std::fill(run.begin(), run.end(), T(1));
    for (std::size_t j = b.n; j-- > 0;)
      for (std::size_t i = 0, at = j * b.inner; i < b.inner; ++i, ++at) {
        dx[at] *= run[i];
        run[i] *= x[at];
      }
  }
}

template <class T>
Variable<T> prod_of(const Variable<T>& x, std::optional<std::ptrdiff_t> dim, bool keepdim) {
  ProdPlan p = prod_plan(x.shape(), dim, keepdim);
  return record<T>("prod", detail::prod_values(x.value(), dim, keepdim), {x},
                   [xv = x.value_ptr(), b = p.b](Array<T>& g, Grads<T>& grads) {
                     Array<T> dx = Array<T>::from_shape(xv->shape());
                     prod_grad_block(xv->data(), g.data(), b, dx.data());
                     grads.add(0, std::move(dx));
                   });
}

// The max over one dim, with the ReducedDims and Block that describe it; throws for a dim of size 0.
template <class T>
struct MaxAlongDim {
  ReducedDims r;
  Block b;
  std::shared_ptr<Array<T>> values;
  Indices indices;
};

template <class T>
MaxAlongDim<T> max_along_dim(const Variable<T>& x, std::ptrdiff_t dim, bool keepdim, const char* op) {
  ReducedDims r = reduce_dims(x.shape(), {dim}, keepdim, op);
  const std::size_t d = r.runs.front().first;
  if (x.shape()[d] == 0)
    throw Error(std::string(op) + ": cannot take the max over dim " + std::to_string(d) + " of size 0 (input shape " +
                shape_str(x.shape()) + ", expected a non-empty dim)");
  const Block b = block_of(x.shape(), d, d + 1);
  auto values = make_shared_array<T>(Array<T>::from_shape(r.out_shape));
  Indices indices = Indices::from_shape(r.out_shape);
  max_block(x.value().data(), b, values->data(), indices.data());
  return {std::move(r), b, std::move(values), std::move(indices)};
}

}  // namespace

template <class T>
Array<T> detail::prod_values(const Array<T>& x, std::optional<std::ptrdiff_t> dim, bool keepdim) {
  const ProdPlan p = prod_plan(to_shape(x.shape()), dim, keepdim);
  Array<T> out = Array<T>::from_shape(p.r.out_shape);
  prod_block(x.data(), p.b, out.data());
  return out;
}

template <class T>
Variable<T> prod(const Variable<T>& x) {
  return prod_of(x, std::nullopt, false);
}

template <class T>
Variable<T> prod(const Variable<T>& x, std::ptrdiff_t dim, bool keepdim) {
  return prod_of(x, dim, keepdim);
}

template <class T>
Variable<T> sum(const Variable<T>& x) {
  return sum_or_mean(x, reduce_all(x.shape()), false, "sum");
}

template <class T>
Variable<T> mean(const Variable<T>& x) {
  return sum_or_mean(x, reduce_all(x.shape()), true, "mean");
}

template <class T>
Variable<T> sum(const Variable<T>& x, const std::vector<std::ptrdiff_t>& dims, bool keepdim) {
  return sum_or_mean(x, reduce_dims(x.shape(), dims, keepdim, "sum"), false, "sum");
}

template <class T>
Variable<T> mean(const Variable<T>& x, const std::vector<std::ptrdiff_t>& dims, bool keepdim) {
  return sum_or_mean(x, reduce_dims(x.shape(), dims, keepdim, "mean"), true, "mean");
}

template <class T>
Variable<T> norm_over(const Variable<T>& x, double p, const ReducedDims& r) {
  if (!(p > 0.0) || std::isinf(p))
    throw Error("norm: expected a finite p > 0, got p = " + std::to_string(p) +
                " (for p = inf take amax(abs(x)), for p = 0 count (x != 0))");
  const T pt = static_cast<T>(p);
  // |x|^p, with p = 1 and 2 (the common ones) exact and without std::pow.
  auto power = [p, pt](T v) { return p == 2.0 ? v * v : p == 1.0 ? std::abs(v) : std::pow(std::abs(v), pt); };
  auto root = [p, pt](T s) { return p == 2.0 ? std::sqrt(s) : p == 1.0 ? s : std::pow(s, T(1) / pt); };
  const Array<T>& xv = x.value();
  Array<T> powered = Array<T>::from_shape(xv.shape());
  for (std::size_t i = 0; i < xv.size(); ++i) powered.data()[i] = power(xv.data()[i]);
  auto norms = std::make_shared<Array<T>>(sum_over(powered, r));
  for (T& v : *norms) v = root(v);
  return record<T>("norm", norms, {x}, [xv = x.value_ptr(), norms, r, p, pt](Array<T>& g, Grads<T>& grads) {
    for (std::size_t k = 0; k < g.size(); ++k) {
      const T n = norms->data()[k];
      g.data()[k] = n == T(0) ? T(0) : p == 2.0 ? g.data()[k] / n : g.data()[k] / std::pow(n, pt - T(1));
    }
    Array<T> dx = expand_reduced(g, r, T(1));
    const T* xs = xv->data();
    for (std::size_t i = 0; i < dx.size(); ++i) {
      const T v = xs[i];
      const T slope = p == 2.0 ? v : v == T(0) ? T(0) : std::copysign(std::pow(std::abs(v), pt - T(1)), v);
      dx.data()[i] *= slope;
    }
    grads.add(0, std::move(dx));
  });
}

template <class T>
Variable<T> norm(const Variable<T>& x, double p) {
  return norm_over(x, p, reduce_all(x.shape()));
}

template <class T>
Variable<T> norm(const Variable<T>& x, double p, const std::vector<std::ptrdiff_t>& dims, bool keepdim) {
  return norm_over(x, p, reduce_dims(x.shape(), dims, keepdim, "norm"));
}

template <class T>
Variable<T> amax(const Variable<T>& x, std::ptrdiff_t dim, bool keepdim) {
  MaxAlongDim<T> m = max_along_dim(x, dim, keepdim, "amax");
  return record<T>("amax", m.values, {x},
                   [xv = x.value_ptr(), out = m.values, r = std::move(m.r), b = m.b](Array<T>& g, Grads<T>& grads) {
                     const T* xs = xv->data();
                     const T* maxima = out->data();
                     std::vector<std::size_t> ties(out->size(), 0);
                     for_each_in_block(b, [&](std::size_t in, std::size_t o) { ties[o] += same_value(xs[in], maxima[o]); });
                     for (std::size_t k = 0; k < g.size(); ++k) g.data()[k] /= T(ties[k]);
                     Array<T> dx = expand_reduced(g, r, T(1));
                     for_each_in_block(b, [&](std::size_t in, std::size_t o) {
                       dx.data()[in] = same_value(xs[in], maxima[o]) ? dx.data()[in] : T(0);
                     });
                     grads.add(0, std::move(dx));
                   });
}

template <class T>
MaxResult<T> max(const Variable<T>& x, std::ptrdiff_t dim, bool keepdim) {
  MaxAlongDim<T> m = max_along_dim(x, dim, keepdim, "max");
  auto indices = std::make_shared<const Indices>(std::move(m.indices));
  Variable<T> values = record<T>("max", m.values, {x}, [indices, b = m.b](Array<T>& g, Grads<T>& grads) {
    T* dx = grads.zeroed_buffer(0);
    const std::int64_t* idx = indices->data();
    const T* gs = g.data();
    for (std::size_t o = 0; o < b.outer; ++o)
      for (std::size_t i = 0; i < b.inner; ++i, ++idx, ++gs)
        dx[(o * b.n + static_cast<std::size_t>(*idx)) * b.inner + i] += *gs;
  });
  return {std::move(values), *indices};
}

#define TG_INSTANTIATE(T)                                                               \
  template Variable<T> sum(const Variable<T>&);                                         \
  template Variable<T> mean(const Variable<T>&);                                        \
  template Variable<T> sum(const Variable<T>&, const std::vector<std::ptrdiff_t>&, bool);  \
  template Variable<T> mean(const Variable<T>&, const std::vector<std::ptrdiff_t>&, bool); \
  template Variable<T> norm(const Variable<T>&, double);                                \
  template Variable<T> norm(const Variable<T>&, double, const std::vector<std::ptrdiff_t>&, bool); \
  template Variable<T> amax(const Variable<T>&, std::ptrdiff_t, bool);                  \
  template MaxResult<T> max(const Variable<T>&, std::ptrdiff_t, bool);                 \
  template Variable<T> prod(const Variable<T>&);                                        \
  template Variable<T> prod(const Variable<T>&, std::ptrdiff_t, bool);                  \
  template Array<T> detail::prod_values(const Array<T>&, std::optional<std::ptrdiff_t>, bool);
template Array<std::int64_t> detail::prod_values(const Array<std::int64_t>&, std::optional<std::ptrdiff_t>, bool);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)
#undef TG_INSTANTIATE

}  // namespace tg
