#include <tapegrad/ops/tensor_ops.hpp>

#include <cmath>
#include <limits>
#include <utility>

#include <xtensor/xmath.hpp>
#include <xtensor/xoperation.hpp>
#include <xtensor/xreducer.hpp>

#include <tapegrad/core/dispatch.hpp>
#include <tapegrad/core/factories.hpp>
#include <tapegrad/core/grad_mode.hpp>
#include <tapegrad/ops/activations.hpp>
#include <tapegrad/ops/allclose.hpp>
#include <tapegrad/ops/arithmetic.hpp>
#include <tapegrad/ops/avg_pool.hpp>
#include <tapegrad/ops/batch_norm.hpp>
#include <tapegrad/ops/concat.hpp>
#include <tapegrad/ops/conv2d.hpp>
#include <tapegrad/ops/conv_transpose2d.hpp>
#include <tapegrad/ops/cumsum.hpp>
#include <tapegrad/ops/detail/index_check.hpp>
#include <tapegrad/ops/dropout.hpp>
#include <tapegrad/ops/embedding.hpp>
#include <tapegrad/ops/gelu.hpp>
#include <tapegrad/ops/glu.hpp>
#include <tapegrad/ops/layer_norm.hpp>
#include <tapegrad/ops/einsum.hpp>
#include <tapegrad/ops/elementwise_activations.hpp>
#include <tapegrad/ops/linear.hpp>
#include <tapegrad/ops/matmul.hpp>
#include <tapegrad/ops/pool.hpp>
#include <tapegrad/ops/prelu.hpp>
#include <tapegrad/ops/reduce.hpp>
#include <tapegrad/ops/shape.hpp>
#include <tapegrad/ops/softmax.hpp>
#include <tapegrad/ops/sort.hpp>
#include <tapegrad/ops/unary.hpp>
#include <tapegrad/ops/where.hpp>

namespace tg {
namespace {

std::vector<std::ptrdiff_t> dims_of(IntArrayRef a) { return {a.begin(), a.end()}; }

void check_defined(const Tensor& x, const char* op) {
  if (!x.defined()) throw Error(std::string(op) + ": the tensor is undefined (default-constructed)");
}

// lerp's operands: a floating input, and end (or a tensor weight) of its dtype; torch promotes none.
void check_lerp(const Tensor& start, const Tensor& other, const char* what) {
  check_defined(start, "lerp");
  check_defined(other, "lerp");
  if (!start.is_floating_point())
    throw Error(std::string("lerp: expected a floating input, got dtype ") + to_string(start.scalar_type()));
  if (other.scalar_type() != start.scalar_type())
    throw Error(std::string("lerp: expected ") + what + " of dtype " + to_string(start.scalar_type()) +
                " (the input's), got " + to_string(other.scalar_type()));
}

// x's values as Array<T>, converted without a gradient (comparisons, integer arithmetic).
template <class T>
Array<T> values_as(const Tensor& x, const char* op) {
  NoGradGuard no_grad;
  return promote_to(x.detach(), scalar_type_v<T>, op).template value<T>();
}

// The positions trick below (by_positions of one tensor) for ops of several tensors (cat, stack) or
// with several results (split, chunk): the positions number the inputs' elements one after another,
// and the results pick from all of their values, taken in the integer dtype t.
template <class F>
std::vector<Tensor> by_positions(const std::vector<Tensor>& xs, ScalarType t, const char* op, F&& f) {
  NoGradGuard no_grad;
  std::vector<Variable<double>> positions;
  std::size_t count = 0;
  for (const Tensor& x : xs) {
    Array<double> p = Array<double>::from_shape(x.shape());
    for (std::size_t i = 0; i < p.size(); ++i) p.data()[i] = static_cast<double>(count + i);
    count += p.size();
    positions.emplace_back(std::move(p));
  }
  const std::vector<Variable<double>> moved = f(positions);
  auto pick = [&](auto tag) {
    using T = decltype(tag);
    Array<T> all = Array<T>::from_shape({count});
    std::size_t at = 0;
    for (const Tensor& x : xs) {
      const Tensor promoted = promote_to(x, t, op);
      const Array<T>& v = promoted.template value<T>();
      std::copy(v.data(), v.data() + v.size(), all.data() + at);
      at += v.size();
    }
    std::vector<Tensor> out;
    for (const Variable<double>& m : moved) {
      Array<T> r = Array<T>::from_shape(m.shape());
      for (std::size_t i = 0; i < r.size(); ++i) r.data()[i] = all.data()[static_cast<std::size_t>(m.value().data()[i])];
      out.emplace_back(std::move(r));
    }
    return out;
  };
  return t == kLong ? pick(std::int64_t{}) : pick(bool{});
}

// An op on Long or Bool tensors, computed on an integer index tensor: the typed op moves the flat
// positions 0..n-1 (exact in double) exactly as it would move values, and the result picks x's
// values at those positions. So integer tensors get every shape op with the typed op's semantics
// and errors, from one implementation.
template <class F>
Tensor by_positions(const Tensor& x, F&& f) {
  return by_positions({x}, x.scalar_type(), "a shape op", [&](const std::vector<Variable<double>>& p) {
    return std::vector<Variable<double>>{f(p.front())};
  }).front();
}

// A shape op for any dtype: the typed op on a floating tensor, by_positions on the others.
template <class F>
Tensor any_dtype(const Tensor& x, const char* op, F&& f) {
  check_defined(x, op);
  if (x.is_floating_point()) return dispatch_floating(x, op, f);
  return by_positions(x, f);
}

// A shape op whose LibTorch counterpart returns a view: its copy, marked so (detail::mark_copied_view).
template <class F>
Tensor copied_view(const Tensor& x, const char* op, F&& f) {
  return detail::mark_copied_view(any_dtype(x, op, std::forward<F>(f)), x, op);
}

// a (op) b on Long (or Bool promoted to Long) values, broadcast: the integer arithmetic path.
template <class F>
Tensor integer_binary(const Tensor& a, const Tensor& b, const char* op, F&& f) {
  if (a.scalar_type() == kBool && b.scalar_type() == kBool)
    throw Error(std::string(op) + ": arithmetic on two Bool tensors is not supported; convert with .to(tg::kLong)");
  broadcast_shapes(a.shape(), b.shape(), op);
  return Tensor(Array<std::int64_t>(f(values_as<std::int64_t>(a, op), values_as<std::int64_t>(b, op))));
}

// The dtype a tensor-with-scalar op gives: the tensor's, unless a floating scalar meets an integer tensor.
ScalarType scalar_result_type(const Tensor& a, const Scalar& s) {
  if (a.is_floating_point()) return a.scalar_type();
  return s.isFloatingPoint() ? kFloat : kLong;
}

Tensor scalar_tensor(const Scalar& s, ScalarType dtype) {
  if (is_floating_point(dtype)) {
    Array<double> v = xt::zeros<double>(Shape{});
    v() = s.toDouble();
    return promote_to(Tensor(std::move(v)), dtype, "scalar");
  }
  Array<std::int64_t> v = xt::zeros<std::int64_t>(Shape{});
  v() = s.isFloatingPoint() ? detail::checked_cast<std::int64_t>(s.toDouble(), "scalar") : s.toLong();
  return promote_to(Tensor(std::move(v)), dtype, "scalar");
}

// a (op) s for a floating result: `f` gets the typed variable and s converted to its element type.
template <class F>
Tensor floating_with_scalar(const Tensor& a, const Scalar& s, const char* op, F&& f) {
  const Tensor x = promote_to(a, scalar_result_type(a, s), op);
  return dispatch_floating(x, op, [&](const auto& v) {
    using T = typename std::decay_t<decltype(v)>::value_type;
    return f(v, static_cast<T>(s.toDouble()));
  });
}

template <class F>
Tensor compare(const Tensor& a, const Tensor& b, const char* op, F&& f) {
  check_defined(a, op);
  check_defined(b, op);
  broadcast_shapes(a.shape(), b.shape(), op);
  const ScalarType t = promote_types(a.scalar_type(), b.scalar_type());
  switch (t) {
    case kFloat: return Tensor(Array<bool>(f(values_as<float>(a, op), values_as<float>(b, op))));
    case kDouble: return Tensor(Array<bool>(f(values_as<double>(a, op), values_as<double>(b, op))));
    default: return Tensor(Array<bool>(f(values_as<std::int64_t>(a, op), values_as<std::int64_t>(b, op))));
  }
}

// The position of the first best value along `dim` (NaN is best, as LibTorch's argmax and argmin).
template <class T, class Better>
Array<std::int64_t> arg_reduce(const Array<T>& a, std::size_t dim, bool keepdim, Better better) {
  const Shape shape = to_shape(a.shape());
  std::size_t outer = 1, inner = 1;
  for (std::size_t d = 0; d < dim; ++d) outer *= shape[d];
  for (std::size_t d = dim + 1; d < shape.size(); ++d) inner *= shape[d];
  const std::size_t n = shape[dim];
  Shape out_shape = shape;
  if (keepdim) out_shape[dim] = 1;
  else out_shape.erase(out_shape.begin() + static_cast<std::ptrdiff_t>(dim));
  Array<std::int64_t> out = Array<std::int64_t>::from_shape(out_shape);
  for (std::size_t o = 0; o < outer; ++o)
    for (std::size_t i = 0; i < inner; ++i) {
      const T* p = a.data() + o * n * inner + i;
      std::size_t best = 0;
      for (std::size_t j = 1; j < n; ++j) {
        const T v = p[j * inner], b = p[best * inner];
        if constexpr (std::is_floating_point_v<T>) {
          if (std::isnan(b)) break;
          if (std::isnan(v)) {
            best = j;
            break;
          }
        }
        if (better(v, b)) best = j;
      }
      out.data()[o * inner + i] = static_cast<std::int64_t>(best);
    }
  return out;
}

Tensor arg_reduce(const Tensor& x, std::optional<std::int64_t> dim, bool keepdim, bool largest, const char* op) {
  check_defined(x, op);
  const Tensor src = dim ? x : reshape(x.detach(), {-1});
  const std::size_t d = normalize_dim(dim.value_or(0), src.dim(), op);
  if (src.size(static_cast<std::int64_t>(d)) == 0)
    throw Error(std::string(op) + ": expected a non-empty dim, got shape " + shape_str(x.shape()));
  return visit_values(src, [&](const auto& a) {
    using T = typename std::decay_t<decltype(a)>::value_type;
    auto more = [](T p, T q) { return p > q; };
    auto less = [](T p, T q) { return p < q; };
    return Tensor(largest ? arg_reduce(a, d, keepdim && dim, more) : arg_reduce(a, d, keepdim && dim, less));
  });
}

const Labels& long_values(const Tensor& t, const char* op, const char* what) {
  check_defined(t, op);
  if (t.scalar_type() != kLong)
    throw Error(std::string(op) + ": expected " + what + " of dtype Long, got " + to_string(t.scalar_type()));
  return t.value<std::int64_t>();
}

std::array<std::size_t, 2> pair_of(IntArrayRef v, const char* op, const char* what) {
  if (v.size() != 1 && v.size() != 2)
    throw Error(std::string(op) + ": expected " + what + " as one number or two, got " + std::to_string(v.size()));
  for (std::int64_t x : v)
    if (x < 0) throw Error(std::string(op) + ": expected " + what + " >= 0, got " + std::to_string(x));
  return {static_cast<std::size_t>(v[0]), static_cast<std::size_t>(v[v.size() - 1])};
}

// The common floating dtype of several tensors (undefined ones skipped), or an Error naming op.
ScalarType common_floating(std::initializer_list<const Tensor*> ts, const char* op) {
  ScalarType t = kBool;
  for (const Tensor* x : ts)
    if (x->defined()) t = promote_types(t, x->scalar_type());
  if (!is_floating_point(t)) {
    std::string got;
    for (const Tensor* x : ts)
      if (x->defined()) got += (got.empty() ? "" : ", ") + std::string(to_string(x->scalar_type()));
    throw Error(std::string(op) + ": expected floating tensors (Float or Double), got " + got);
  }
  return t;
}

template <class T>
Variable<T> typed(const Tensor& x, ScalarType t, const char* op) {
  return x.defined() ? promote_to(x, t, op).template variable<T>() : Variable<T>();
}

}  // namespace

// ---- arithmetic ----

#define TG_BINARY(name, xt_op)                                                                       \
  Tensor name(const Tensor& a, const Tensor& b) {                                                   \
    check_defined(a, #name);                                                                         \
    check_defined(b, #name);                                                                         \
    if (!is_floating_point(promote_types(a.scalar_type(), b.scalar_type())))                         \
      return integer_binary(a, b, #name, [](const auto& x, const auto& y) { return x xt_op y; });    \
    return dispatch_floating(a, b, #name, [](const auto& x, const auto& y) { return tg::name(x, y); }); \
  }
TG_BINARY(add, +)
TG_BINARY(sub, -)
TG_BINARY(mul, *)
#undef TG_BINARY

Tensor div(const Tensor& a, const Tensor& b) {
  check_defined(a, "div");
  check_defined(b, "div");
  // Integer division is true division, as in LibTorch: Long / Long is Float.
  const ScalarType t = promote_types(promote_types(a.scalar_type(), b.scalar_type()), kFloat);
  return dispatch_floating(promote_to(a, t, "div"), promote_to(b, t, "div"), "div",
                           [](const auto& x, const auto& y) { return tg::div(x, y); });
}

Tensor add(const Tensor& a, const Scalar& s) {
  check_defined(a, "add");
  if (!is_floating_point(scalar_result_type(a, s))) return add(a, scalar_tensor(s, kLong));
  return floating_with_scalar(a, s, "add", [](const auto& v, auto c) { return tg::add(v, c); });
}

Tensor sub(const Tensor& a, const Scalar& s) {
  check_defined(a, "sub");
  if (!is_floating_point(scalar_result_type(a, s))) return sub(a, scalar_tensor(s, kLong));
  return floating_with_scalar(a, s, "sub", [](const auto& v, auto c) { return tg::add(v, -c); });
}

Tensor mul(const Tensor& a, const Scalar& s) {
  check_defined(a, "mul");
  if (!is_floating_point(scalar_result_type(a, s))) return mul(a, scalar_tensor(s, kLong));
  return floating_with_scalar(a, s, "mul", [](const auto& v, auto c) { return tg::mul(v, c); });
}

Tensor div(const Tensor& a, const Scalar& s) {
  check_defined(a, "div");
  const Tensor x = a.is_floating_point() ? a : promote_to(a, kFloat, "div");
  return floating_with_scalar(x, s, "div", [](const auto& v, auto c) { return v / c; });
}

Tensor rsub(const Tensor& a, const Scalar& s) {
  check_defined(a, "rsub");
  if (!is_floating_point(scalar_result_type(a, s))) return sub(scalar_tensor(s, kLong), a);
  return floating_with_scalar(a, s, "rsub", [](const auto& v, auto c) { return tg::rsub(v, c); });
}

Tensor rdiv(const Tensor& a, const Scalar& s) {
  check_defined(a, "rdiv");
  const Tensor x = a.is_floating_point() ? a : promote_to(a, kFloat, "rdiv");
  return floating_with_scalar(x, s, "rdiv", [](const auto& v, auto c) { return tg::rdiv(v, c); });
}

Tensor neg(const Tensor& a) {
  check_defined(a, "neg");
  if (a.scalar_type() == kBool) throw Error("neg: negation of a Bool tensor is not supported; use logical ops");
  if (a.scalar_type() == kLong) return Tensor(Array<std::int64_t>(-a.value<std::int64_t>()));
  return dispatch_floating(a, "neg", [](const auto& v) { return tg::neg(v); });
}

namespace {

template <class F>
Tensor integer_extremum(const Tensor& a, const Tensor& b, const char* op, F&& f) {
  broadcast_shapes(a.shape(), b.shape(), op);
  const Tensor out(Array<std::int64_t>(f(values_as<std::int64_t>(a, op), values_as<std::int64_t>(b, op))));
  return a.scalar_type() == kBool && b.scalar_type() == kBool ? promote_to(out, kBool, op) : out;
}

}  // namespace

Tensor maximum(const Tensor& a, const Tensor& b) {
  check_defined(a, "maximum");
  check_defined(b, "maximum");
  if (!is_floating_point(promote_types(a.scalar_type(), b.scalar_type())))
    return integer_extremum(a, b, "maximum", [](const auto& x, const auto& y) { return xt::maximum(x, y); });
  return dispatch_floating(a, b, "maximum", [](const auto& x, const auto& y) { return tg::maximum(x, y); });
}

Tensor minimum(const Tensor& a, const Tensor& b) {
  check_defined(a, "minimum");
  check_defined(b, "minimum");
  if (!is_floating_point(promote_types(a.scalar_type(), b.scalar_type())))
    return integer_extremum(a, b, "minimum", [](const auto& x, const auto& y) { return xt::minimum(x, y); });
  return dispatch_floating(a, b, "minimum", [](const auto& x, const auto& y) { return tg::minimum(x, y); });
}

// ---- comparisons ----

// A scalar is compared in the dtype a tensor-with-scalar op would give (Float x vs 0.1: in float).
#define TG_COMPARE(name, xt_fn)                                                                   \
  Tensor name(const Tensor& a, const Tensor& b) {                                                 \
    return compare(a, b, #name, [](const auto& x, const auto& y) { return xt_fn(x, y); });        \
  }                                                                                                \
  Tensor name(const Tensor& a, const Scalar& b) {                                                 \
    check_defined(a, #name);                                                                       \
    return name(a, scalar_tensor(b, scalar_result_type(a, b)));                                   \
  }
TG_COMPARE(eq, xt::equal)
TG_COMPARE(ne, xt::not_equal)
TG_COMPARE(lt, xt::less)
TG_COMPARE(le, xt::less_equal)
TG_COMPARE(gt, xt::greater)
TG_COMPARE(ge, xt::greater_equal)
#undef TG_COMPARE

// ---- elementwise math and activations ----

Tensor square(const Tensor& x) {
  check_floating(x, "square");
  return x * x;
}

Tensor isnan(const Tensor& x) {
  check_defined(x, "isnan");
  return x.is_floating_point() ? ne(x, x) : zeros_like(x, tg::dtype(kBool));
}

Tensor pow(const Tensor& x, const Scalar& e) {
  check_floating(x, "pow");
  return floating_with_scalar(x, e, "pow", [](const auto& v, auto c) { return tg::pow(v, c); });
}

#define TG_UNARY(name) \
  Tensor name(const Tensor& x) { return dispatch_floating(x, #name, [](const auto& v) { return tg::name(v); }); }
TG_UNARY(exp)
TG_UNARY(log)
TG_UNARY(sqrt)
TG_UNARY(abs)
TG_UNARY(relu)
TG_UNARY(sigmoid)
TG_UNARY(tanh)
TG_UNARY(selu)
TG_UNARY(silu)
TG_UNARY(mish)
TG_UNARY(relu6)
TG_UNARY(hardsigmoid)
TG_UNARY(hardswish)
TG_UNARY(log_sigmoid)
TG_UNARY(softsign)
TG_UNARY(tanhshrink)
#undef TG_UNARY

Tensor sign(const Tensor& x) {
  check_defined(x, "sign");
  if (x.scalar_type() == kBool) return x.clone();  // false and true are 0 and 1 already
  if (x.scalar_type() == kLong) {
    const Labels& v = x.value<std::int64_t>();
    return Tensor(Labels(xt::cast<std::int64_t>(v > 0) - xt::cast<std::int64_t>(v < 0)));
  }
  return dispatch_floating(x, "sign", [](const auto& v) { return tg::sign(v); });
}

// Ops whose result is floating for every input: an integer tensor is taken as Float.
#define TG_FLOATING_UNARY(name)                                                                   \
  Tensor name(const Tensor& x) {                                                                  \
    check_defined(x, #name);                                                                      \
    const Tensor v = x.is_floating_point() ? x : promote_to(x, kFloat, #name);                    \
    return dispatch_floating(v, #name, [](const auto& t) { return tg::name(t); });                \
  }
TG_FLOATING_UNARY(log1p)
TG_FLOATING_UNARY(expm1)
TG_FLOATING_UNARY(sin)
TG_FLOATING_UNARY(cos)
TG_FLOATING_UNARY(reciprocal)
TG_FLOATING_UNARY(rsqrt)
#undef TG_FLOATING_UNARY

// Rounding keeps the dtype: an integer tensor is integral already, so it comes back as a copy.
#define TG_ROUNDING(name)                                                                         \
  Tensor name(const Tensor& x) {                                                                  \
    check_defined(x, #name);                                                                      \
    if (!x.is_floating_point()) return x.clone();                                                 \
    return dispatch_floating(x, #name, [](const auto& t) { return tg::name(t); });                \
  }
TG_ROUNDING(floor)
TG_ROUNDING(ceil)
TG_ROUNDING(round)
TG_ROUNDING(trunc)
#undef TG_ROUNDING

// The activations with parameters: the typed ops take them as double, and x keeps its dtype.
Tensor elu(const Tensor& x, const Scalar& alpha) {
  return dispatch_floating(x, "elu", [&](const auto& v) { return tg::elu(v, alpha.toDouble()); });
}

Tensor celu(const Tensor& x, const Scalar& alpha) {
  return dispatch_floating(x, "celu", [&](const auto& v) { return tg::celu(v, alpha.toDouble()); });
}

Tensor softplus(const Tensor& x, const Scalar& beta, const Scalar& threshold) {
  return dispatch_floating(x, "softplus",
                           [&](const auto& v) { return tg::softplus(v, beta.toDouble(), threshold.toDouble()); });
}

Tensor hardtanh(const Tensor& x, const Scalar& min_val, const Scalar& max_val) {
  return dispatch_floating(x, "hardtanh",
                           [&](const auto& v) { return tg::hardtanh(v, min_val.toDouble(), max_val.toDouble()); });
}

Tensor softshrink(const Tensor& x, const Scalar& lambda) {
  return dispatch_floating(x, "softshrink", [&](const auto& v) { return tg::softshrink(v, lambda.toDouble()); });
}

Tensor hardshrink(const Tensor& x, const Scalar& lambda) {
  return dispatch_floating(x, "hardshrink", [&](const auto& v) { return tg::hardshrink(v, lambda.toDouble()); });
}

Tensor threshold(const Tensor& x, const Scalar& threshold, const Scalar& value) {
  return dispatch_floating(x, "threshold",
                           [&](const auto& v) { return tg::threshold(v, threshold.toDouble(), value.toDouble()); });
}

Tensor rrelu(const Tensor& x, const Scalar& lower, const Scalar& upper, bool training) {
  return dispatch_floating(
      x, "rrelu", [&](const auto& v) { return tg::rrelu(v, lower.toDouble(), upper.toDouble(), training); });
}

Tensor glu(const Tensor& x, std::int64_t dim) {
  return dispatch_floating(x, "glu", [dim](const auto& v) { return tg::glu(v, dim); });
}

Tensor prelu(const Tensor& x, const Tensor& weight) {
  return dispatch_floating(x, weight, "prelu", [](const auto& v, const auto& w) { return tg::prelu(v, w); });
}

Tensor clamp(const Tensor& x, const std::optional<Scalar>& min, const std::optional<Scalar>& max) {
  return dispatch_floating(x, "clamp", [&](const auto& v) {
    using T = typename std::decay_t<decltype(v)>::value_type;
    auto bound = [](const std::optional<Scalar>& s) { return s ? std::optional<T>(s->toDouble()) : std::nullopt; };
    return tg::clamp(v, bound(min), bound(max));
  });
}

Tensor clamp_min(const Tensor& x, const Scalar& min) { return clamp(x, min, std::nullopt); }
Tensor clamp_max(const Tensor& x, const Scalar& max) { return clamp(x, std::nullopt, max); }

Tensor leaky_relu(const Tensor& x, const Scalar& slope) {
  check_floating(x, "leaky_relu");
  return floating_with_scalar(x, slope, "leaky_relu", [](const auto& v, auto c) { return tg::leaky_relu(v, c); });
}

// ---- layers ----

namespace {

Mask bool_mask(const Tensor& mask, const char* op, const char* what) {
  check_defined(mask, op);
  if (mask.scalar_type() != kBool)
    throw Error(std::string(op) + ": expected " + what + " of dtype Bool, got " + to_string(mask.scalar_type()) +
                " (compare to get one: x > 0)");
  return Mask(mask.value<bool>());
}

}  // namespace

// A composite of arithmetic and where: its gradients are theirs (1 - weight for start, weight for end,
// end - start for a tensor weight).
Tensor lerp(const Tensor& start, const Tensor& end, const Scalar& weight) {
  check_lerp(start, end, "end");
  const double w = weight.toDouble();
  return w < 0.5 ? start + (end - start) * w : end - (end - start) * (1 - w);
}

Tensor lerp(const Tensor& start, const Tensor& end, const Tensor& weight) {
  check_lerp(start, end, "end");
  check_lerp(start, weight, "weight");
  const Tensor span = end - start;
  return where(weight < 0.5, start + span * weight, end - span * (1 - weight));
}

Tensor where(const Tensor& condition, const Tensor& input, const Tensor& other) {
  const Mask c = bool_mask(condition, "where", "a condition");
  return dispatch_floating(input, other, "where", [&](const auto& a, const auto& b) { return tg::where(c, a, b); });
}

Tensor where(const Tensor& condition, const Tensor& input, const Scalar& other) {
  check_defined(input, "where");
  return where(condition, input, full_like(input, other));
}

Tensor masked_fill(const Tensor& x, const Tensor& mask, const Scalar& value) {
  const Mask m = bool_mask(mask, "masked_fill", "a mask");
  return dispatch_floating(x, "masked_fill", [&](const auto& v) {
    using T = typename std::decay_t<decltype(v)>::value_type;
    return tg::masked_fill(v, m, static_cast<T>(value.toDouble()));
  });
}

// A composite: both broadcast to one shape and flattened, then the Bool-mask index (IndexBackward0).
Tensor masked_select(const Tensor& x, const Tensor& mask) {
  check_defined(x, "masked_select");
  check_defined(mask, "masked_select");
  if (mask.scalar_type() != kBool)
    throw Error(std::string("masked_select: expected a Bool mask, got ") + to_string(mask.scalar_type()));
  const Shape shape = broadcast_shapes(x.shape(), mask.shape(), "masked_select");
  const std::vector<std::int64_t> sizes(shape.begin(), shape.end());
  return x.expand(sizes).reshape({-1}).index({mask.expand(sizes).reshape({-1})});
}

// LibTorch's matmul: a 1-D operand takes a dim of 1 that the result drops again; 2-D @ 2-D is one
// GEMM; a stack of matrices against one matrix folds the stack into the rows (one GEMM too); otherwise
// the leading dims broadcast and bmm multiplies the matrices pairwise.
Tensor matmul(const Tensor& a, const Tensor& b) {
  check_defined(a, "matmul");
  check_defined(b, "matmul");
  const std::string shapes = shape_str(a.shape()) + " @ " + shape_str(b.shape());
  if (a.dim() == 0 || b.dim() == 0) throw Error("matmul: expected tensors of at least 1 dim, got " + shapes);
  const Tensor x = a.dim() == 1 ? a.unsqueeze(0) : a, y = b.dim() == 1 ? b.unsqueeze(1) : b;
  const std::int64_t n = x.size(-2), k = x.size(-1), m = y.size(-1);
  if (y.size(-2) != k) throw Error("matmul: the inner sizes differ (" + std::to_string(k) + " and " +
                                   std::to_string(y.size(-2)) + "), got " + shapes);
  auto gemm = [](const Tensor& p, const Tensor& q) {
    return dispatch_floating(p, q, "matmul", [](const auto& u, const auto& v) { return tg::matmul(u, v); });
  };
  const std::vector<std::int64_t> xs = x.sizes().vec(), ys = y.sizes().vec();
  Tensor out;
  if (y.dim() == 2) {
    std::vector<std::int64_t> sizes(xs.begin(), xs.end() - 1);
    sizes.push_back(m);
    out = x.dim() == 2 ? gemm(x, y) : gemm(x.reshape({-1, k}), y).reshape(sizes);
  } else {
    const Shape batch = broadcast_shapes(Shape(xs.begin(), xs.end() - 2), Shape(ys.begin(), ys.end() - 2), "matmul");
    auto with_matrix = [&](std::int64_t rows, std::int64_t cols) {
      std::vector<std::int64_t> sizes(batch.begin(), batch.end());
      sizes.push_back(rows);
      sizes.push_back(cols);
      return sizes;
    };
    out = bmm(x.expand(with_matrix(n, k)).reshape({-1, n, k}), y.expand(with_matrix(k, m)).reshape({-1, k, m}))
              .reshape(with_matrix(n, m));
  }
  // Drop the dims the 1-D operands were given: b's column, then a's row (the last dim left if b was 1-D).
  if (b.dim() == 1) out = out.squeeze(-1);
  if (a.dim() == 1) out = out.squeeze(b.dim() == 1 ? -1 : -2);
  return out;
}

Tensor nonzero(const Tensor& x) {
  check_defined(x, "nonzero");
  return visit_values(x, [](const auto& a) {
    const std::size_t rank = a.dimension();
    std::vector<std::size_t> hits;
    for (std::size_t k = 0; k < a.size(); ++k)
      if (a.data()[k] != 0) hits.push_back(k);  // NaN counts as nonzero, as in LibTorch
    Labels out = Labels::from_shape({hits.size(), rank});
    for (std::size_t h = 0; h < hits.size(); ++h)
      for (std::size_t d = rank, rest = hits[h]; d-- > 0; rest /= a.shape()[d])
        out.data()[h * rank + d] = static_cast<std::int64_t>(rest % a.shape()[d]);
    return Tensor(std::move(out));
  });
}

bool equal(const Tensor& a, const Tensor& b) {
  check_defined(a, "equal");
  check_defined(b, "equal");
  return a.sizes() == b.sizes() && eq(a, b).all().item<bool>();
}

bool allclose(const Tensor& a, const Tensor& b, double rtol, double atol, bool equal_nan) {
  check_defined(a, "allclose");
  check_defined(b, "allclose");
  // Compared in double: exact for Float values and for integers up to 2^53.
  const auto as_double = [](const Tensor& t) { return (t.requires_grad() ? t.detach() : t).to(kDouble); };
  return allclose(as_double(a).variable<double>(), as_double(b).variable<double>(), rtol, atol, equal_nan);
}

Tensor bmm(const Tensor& a, const Tensor& b) {
  return dispatch_floating(a, b, "bmm", [](const auto& x, const auto& y) { return tg::bmm(x, y); });
}

Tensor addmm(const Tensor& input, const Tensor& a, const Tensor& b, const Scalar& beta, const Scalar& alpha) {
  check_defined(a, "addmm");
  check_defined(b, "addmm");
  if (a.dim() != 2 || b.dim() != 2)
    throw Error("addmm: expected 2-D matrices, got " + shape_str(a.shape()) + " and " + shape_str(b.shape()));
  const Tensor product = mm(a, b);
  return add(mul(input, beta), mul(product, alpha));
}

Tensor mm(const Tensor& a, const Tensor& b) {
  check_defined(a, "mm");
  check_defined(b, "mm");
  if (a.dim() != 2 || b.dim() != 2 || a.size(1) != b.size(0))
    throw Error("mm: expected 2-D tensors (n, k) and (k, m), got " + shape_str(a.shape()) + " and " +
                shape_str(b.shape()));
  return matmul(a, b);
}

Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias) {
  check_defined(x, "linear");
  check_defined(weight, "linear");
  const ScalarType t = common_floating({&x, &weight, &bias}, "linear");
  if (t == kFloat) return tg::linear(typed<float>(x, t, "linear"), typed<float>(weight, t, "linear"), typed<float>(bias, t, "linear"));
  return tg::linear(typed<double>(x, t, "linear"), typed<double>(weight, t, "linear"), typed<double>(bias, t, "linear"));
}

Tensor conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, IntArrayRef stride, IntArrayRef padding) {
  check_defined(x, "conv2d");
  check_defined(weight, "conv2d");
  const ScalarType t = common_floating({&x, &weight, &bias}, "conv2d");
  const auto s = pair_of(stride, "conv2d", "stride"), p = pair_of(padding, "conv2d", "padding");
  if (t == kFloat)
    return tg::conv2d(typed<float>(x, t, "conv2d"), typed<float>(weight, t, "conv2d"), typed<float>(bias, t, "conv2d"), s, p);
  return tg::conv2d(typed<double>(x, t, "conv2d"), typed<double>(weight, t, "conv2d"), typed<double>(bias, t, "conv2d"), s, p);
}

Tensor max_pool2d(const Tensor& x, IntArrayRef kernel_size, IntArrayRef stride, IntArrayRef padding) {
  const auto k = pair_of(kernel_size, "max_pool2d", "kernel_size");
  const auto s = stride.empty() ? k : pair_of(stride, "max_pool2d", "stride");
  const auto p = pair_of(padding, "max_pool2d", "padding");
  return dispatch_floating(x, "max_pool2d", [&](const auto& v) { return tg::max_pool2d(v, k, s, p); });
}

Tensor conv_transpose2d(const Tensor& x, const Tensor& weight, const Tensor& bias, IntArrayRef stride,
                        IntArrayRef padding, IntArrayRef output_padding) {
  const char* op = "conv_transpose2d";
  check_defined(x, op);
  check_defined(weight, op);
  const ScalarType t = common_floating({&x, &weight, &bias}, op);
  const auto s = pair_of(stride, op, "stride"), p = pair_of(padding, op, "padding");
  const auto o = pair_of(output_padding, op, "output_padding");
  if (t == kFloat)
    return tg::conv_transpose2d(typed<float>(x, t, op), typed<float>(weight, t, op), typed<float>(bias, t, op), s, p, o);
  return tg::conv_transpose2d(typed<double>(x, t, op), typed<double>(weight, t, op), typed<double>(bias, t, op), s, p, o);
}

Tensor avg_pool2d(const Tensor& x, IntArrayRef kernel_size, IntArrayRef stride, IntArrayRef padding, bool ceil_mode,
                  bool count_include_pad, std::optional<std::int64_t> divisor_override) {
  const auto k = pair_of(kernel_size, "avg_pool2d", "kernel_size");
  const auto s = stride.empty() ? k : pair_of(stride, "avg_pool2d", "stride");
  const auto p = pair_of(padding, "avg_pool2d", "padding");
  return dispatch_floating(x, "avg_pool2d", [&](const auto& v) {
    return tg::avg_pool2d(v, k, s, p, ceil_mode, count_include_pad, divisor_override);
  });
}

Tensor adaptive_avg_pool2d(const Tensor& x, IntArrayRef output_size) {
  const auto o = pair_of(output_size, "adaptive_avg_pool2d", "output_size");
  return dispatch_floating(x, "adaptive_avg_pool2d", [&](const auto& v) { return tg::adaptive_avg_pool2d(v, o); });
}

Tensor batch_norm(const Tensor& x, const Tensor& weight, const Tensor& bias, const Tensor& running_mean,
                  const Tensor& running_var, bool training, double momentum, double eps) {
  const char* op = "batch_norm";
  check_floating(x, op);
  // The running statistics are updated in place, so they must already have x's dtype (no conversion).
  const ScalarType t = x.scalar_type();
  for (const Tensor* r : {&running_mean, &running_var})
    if (r->defined() && r->scalar_type() != t)
      throw Error(std::string(op) + ": running statistics of dtype " + to_string(r->scalar_type()) +
                  " for an input of dtype " + to_string(t) + " (convert the module with ->to(tg::k" + to_string(t) + "))");
  if (t == kFloat)
    return tg::batch_norm(x.variable<float>(), typed<float>(weight, t, op), typed<float>(bias, t, op),
                          typed<float>(running_mean, t, op), typed<float>(running_var, t, op), training, momentum, eps);
  return tg::batch_norm(x.variable<double>(), typed<double>(weight, t, op), typed<double>(bias, t, op),
                        typed<double>(running_mean, t, op), typed<double>(running_var, t, op), training, momentum, eps);
}

Tensor layer_norm(const Tensor& x, IntArrayRef normalized_shape, const Tensor& weight, const Tensor& bias, double eps) {
  const char* op = "layer_norm";
  check_defined(x, op);
  Shape shape;
  for (std::int64_t d : normalized_shape) {
    if (d < 0) throw Error(std::string(op) + ": normalized_shape must be non-negative, got " + std::to_string(d));
    shape.push_back(static_cast<std::size_t>(d));
  }
  const ScalarType t = common_floating({&x, &weight, &bias}, op);
  if (t == kFloat)
    return tg::layer_norm(typed<float>(x, t, op), shape, typed<float>(weight, t, op), typed<float>(bias, t, op), eps);
  return tg::layer_norm(typed<double>(x, t, op), shape, typed<double>(weight, t, op), typed<double>(bias, t, op), eps);
}

Tensor dropout(const Tensor& x, double p, bool train) {
  return dispatch_floating(x, "dropout", [&](const auto& v) { return tg::dropout(v, p, train); });
}

Tensor feature_dropout(const Tensor& x, double p, bool train) {
  return dispatch_floating(x, "feature_dropout", [&](const auto& v) { return tg::dropout2d(v, p, train); });
}

Tensor embedding(const Tensor& weight, const Tensor& indices, std::optional<std::int64_t> padding_idx,
                 bool scale_grad_by_freq) {
  const Labels& idx = long_values(indices, "embedding", "indices");
  return dispatch_floating(weight, "embedding",
                           [&](const auto& w) { return tg::embedding(w, idx, padding_idx, scale_grad_by_freq); });
}

Tensor gelu(const Tensor& x, const std::string& approximate) {
  return dispatch_floating(x, "gelu", [&](const auto& v) { return tg::gelu(v, approximate); });
}

Tensor softmax(const Tensor& x, std::int64_t dim, std::optional<ScalarType> dtype) {
  const Tensor v = dtype ? x.to(*dtype) : x;
  return dispatch_floating(v, "softmax", [dim](const auto& t) { return tg::softmax(t, dim); });
}

Tensor log_softmax(const Tensor& x, std::int64_t dim, std::optional<ScalarType> dtype) {
  const Tensor v = dtype ? x.to(*dtype) : x;
  return dispatch_floating(v, "log_softmax", [dim](const auto& t) { return tg::log_softmax(t, dim); });
}

Tensor logsumexp(const Tensor& x, std::int64_t dim, bool keepdim) {
  return dispatch_floating(x, "logsumexp", [=](const auto& v) { return tg::logsumexp(v, dim, keepdim); });
}

// ---- losses ----

Tensor nll_loss(const Tensor& input, const Tensor& target, const Tensor& weight, Reduction reduction,
                std::int64_t ignore_index) {
  const Labels& labels = long_values(target, "nll_loss", "target");
  if (!weight.defined() && ignore_index == -100)  // the unweighted rule, as the typed overloads choose
    return dispatch_floating(input, "nll_loss", [&](const auto& v) { return tg::nll_loss(v, labels, reduction); });
  return dispatch_floating(input, weight.defined() ? weight : input, "nll_loss", [&](const auto& v, const auto& w) {
    return tg::nll_loss(v, labels, weight.defined() ? w : std::decay_t<decltype(w)>(), reduction, ignore_index);
  });
}

Tensor cross_entropy(const Tensor& input, const Tensor& target, const Tensor& weight, Reduction reduction,
                     std::int64_t ignore_index, double label_smoothing) {
  const Labels& labels = long_values(target, "cross_entropy", "target (class indices; probabilities are not supported)");
  return dispatch_floating(input, weight.defined() ? weight : input, "cross_entropy", [&](const auto& v, const auto& w) {
    return tg::cross_entropy(v, labels, weight.defined() ? w : std::decay_t<decltype(w)>(), reduction, ignore_index,
                             label_smoothing);
  });
}

Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction) {
  return dispatch_floating(input, target, "mse_loss",
                           [reduction](const auto& x, const auto& y) { return tg::mse_loss(x, y, reduction); });
}

Tensor l1_loss(const Tensor& input, const Tensor& target, Reduction reduction) {
  return dispatch_floating(input, target, "l1_loss",
                           [reduction](const auto& x, const auto& y) { return tg::l1_loss(x, y, reduction); });
}

Tensor smooth_l1_loss(const Tensor& input, const Tensor& target, Reduction reduction, double beta) {
  return dispatch_floating(input, target, "smooth_l1_loss",
                           [&](const auto& x, const auto& y) { return tg::smooth_l1_loss(x, y, reduction, beta); });
}

Tensor huber_loss(const Tensor& input, const Tensor& target, Reduction reduction, double delta) {
  return dispatch_floating(input, target, "huber_loss",
                           [&](const auto& x, const auto& y) { return tg::huber_loss(x, y, reduction, delta); });
}

Tensor binary_cross_entropy(const Tensor& input, const Tensor& target, const Tensor& weight, Reduction reduction) {
  const ScalarType t = common_floating({&input, &target, &weight}, "binary_cross_entropy");
  const char* op = "binary_cross_entropy";
  if (t == kFloat)
    return tg::binary_cross_entropy(typed<float>(input, t, op), typed<float>(target, t, op), typed<float>(weight, t, op),
                                    reduction);
  return tg::binary_cross_entropy(typed<double>(input, t, op), typed<double>(target, t, op),
                                  typed<double>(weight, t, op), reduction);
}

Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target, const Tensor& weight,
                                        const Tensor& pos_weight, Reduction reduction) {
  const ScalarType t = common_floating({&input, &target, &weight, &pos_weight}, "binary_cross_entropy_with_logits");
  const char* op = "binary_cross_entropy_with_logits";
  if (t == kFloat)
    return tg::binary_cross_entropy_with_logits(typed<float>(input, t, op), typed<float>(target, t, op),
                                                typed<float>(weight, t, op), typed<float>(pos_weight, t, op), reduction);
  return tg::binary_cross_entropy_with_logits(typed<double>(input, t, op), typed<double>(target, t, op),
                                              typed<double>(weight, t, op), typed<double>(pos_weight, t, op),
                                              reduction);
}

// ---- reductions ----

Tensor sum(const Tensor& x) {
  check_defined(x, "sum");
  if (x.is_floating_point()) return dispatch_floating(x, "sum", [](const auto& v) { return tg::sum(v); });
  const Labels v = values_as<std::int64_t>(x, "sum");
  Array<std::int64_t> out = xt::zeros<std::int64_t>(Shape{});
  for (std::int64_t e : v) out() += e;
  return Tensor(std::move(out));
}

Tensor sum(const Tensor& x, IntArrayRef dims, bool keepdim) {
  check_defined(x, "sum");
  if (x.is_floating_point())
    return dispatch_floating(x, "sum", [&](const auto& v) { return tg::sum(v, dims_of(dims), keepdim); });
  // The typed sum checks the dims; on the values as double it would round past 2^53, so it only
  // gives the shape here, and the Long sums are formed exactly below.
  const Tensor shaped = sum(x.to(kDouble), dims, keepdim);
  std::vector<std::size_t> axes;
  for (std::int64_t d : dims) axes.push_back(normalize_dim(d, x.shape().size(), "sum"));
  Array<std::int64_t> out = xt::sum(values_as<std::int64_t>(x, "sum"), axes, xt::evaluation_strategy::immediate);
  out.reshape(shaped.shape());
  return Tensor(std::move(out));
}

Tensor mean(const Tensor& x) {
  return dispatch_floating(x, "mean", [](const auto& v) { return tg::mean(v); });
}

Tensor mean(const Tensor& x, IntArrayRef dims, bool keepdim) {
  return dispatch_floating(x, "mean", [&](const auto& v) { return tg::mean(v, dims_of(dims), keepdim); });
}

namespace {

// Sum of squared deviations over `dims` (every dim when empty) and the count it sums, minus 1 if unbiased.
Tensor variance(const Tensor& x, IntArrayRef dims, bool unbiased, bool keepdim, const char* op) {
  check_floating(x, op);
  const bool all = dims.empty();
  const Tensor deviation = all ? x - mean(x) : x - mean(x, dims, /*keepdim=*/true);
  const Tensor squares = deviation * deviation;
  double count = 1;
  if (all) {
    count = static_cast<double>(x.numel());
  } else {
    for (std::int64_t d : dims) count *= static_cast<double>(x.size(d));
  }
  const double divisor = count - (unbiased ? 1.0 : 0.0);  // 0 gives inf or NaN, as LibTorch's
  return (all ? sum(squares) : sum(squares, dims, keepdim)) / divisor;
}

}  // namespace

Tensor detail::variance_of_all(const Tensor& x, bool unbiased, bool root) {
  return root ? sqrt(variance(x, {}, unbiased, false, "std")) : variance(x, {}, unbiased, false, "var");
}
Tensor var(const Tensor& x) { return detail::variance_of_all(x, true, false); }
Tensor var(const Tensor& x, IntArrayRef dims, bool unbiased, bool keepdim) {
  return variance(x, dims, unbiased, keepdim, "var");
}
Tensor std(const Tensor& x) { return detail::variance_of_all(x, true, true); }
Tensor std(const Tensor& x, IntArrayRef dims, bool unbiased, bool keepdim) {
  return sqrt(variance(x, dims, unbiased, keepdim, "std"));
}

Tensor amax(const Tensor& x, std::int64_t dim, bool keepdim) {
  check_defined(x, "amax");
  if (x.is_floating_point())
    return dispatch_floating(x, "amax", [=](const auto& v) { return tg::amax(v, dim, keepdim); });
  return std::get<0>(max(x, dim, keepdim));
}

Tensor max(const Tensor& x) {
  check_defined(x, "max");
  if (x.numel() == 0) throw Error("max: expected a non-empty tensor (the max of nothing is undefined)");
  return amax(reshape(x, {-1}), 0);
}

std::tuple<Tensor, Tensor> max(const Tensor& x, std::int64_t dim, bool keepdim) {
  check_defined(x, "max");
  if (x.is_floating_point()) {
    Tensor indices;
    Tensor values = dispatch_floating(x, "max", [&](const auto& v) {
      auto r = tg::max(v, dim, keepdim);
      indices = Tensor(std::move(r.indices));
      return r.values;
    });
    return {values, indices};
  }
  const Tensor indices = argmax(x, dim, true);
  const Tensor values = gather(x, dim, indices);
  return {keepdim ? values : squeeze(values, dim), keepdim ? indices : squeeze(indices, dim)};
}

Tensor min(const Tensor& x) {
  check_defined(x, "min");
  if (!x.is_floating_point()) {
    if (x.numel() == 0) throw Error("min: expected a non-empty tensor (the min of nothing is undefined)");
    return std::get<0>(min(reshape(x, {-1}), 0));
  }
  return neg(max(neg(x)));
}

std::tuple<Tensor, Tensor> min(const Tensor& x, std::int64_t dim, bool keepdim) {
  check_defined(x, "min");
  if (!x.is_floating_point()) {
    const Tensor indices = argmin(x, dim, true);
    const Tensor values = gather(x, dim, indices);
    return {keepdim ? values : squeeze(values, dim), keepdim ? indices : squeeze(indices, dim)};
  }
  auto [values, indices] = max(neg(x), dim, keepdim);
  return {neg(values), indices};
}

Tensor argmax(const Tensor& x) { return arg_reduce(x, std::nullopt, false, true, "argmax"); }
Tensor argmax(const Tensor& x, std::int64_t dim, bool keepdim) { return arg_reduce(x, dim, keepdim, true, "argmax"); }
Tensor argmin(const Tensor& x) { return arg_reduce(x, std::nullopt, false, false, "argmin"); }
Tensor argmin(const Tensor& x, std::int64_t dim, bool keepdim) { return arg_reduce(x, dim, keepdim, false, "argmin"); }

Tensor norm(const Tensor& x, const Scalar& p) {
  return dispatch_floating(x, "norm", [&](const auto& v) { return tg::norm(v, p.toDouble()); });
}

Tensor norm(const Tensor& x, const std::optional<Scalar>& p, IntArrayRef dim, bool keepdim) {
  check_defined(x, "norm");
  std::vector<std::ptrdiff_t> dims = dims_of(dim);
  if (dims.empty())
    for (std::int64_t d = 0; d < x.dim(); ++d) dims.push_back(d);
  const double order = p ? p->toDouble() : 2.0;
  if (dims.empty()) return dispatch_floating(x, "norm", [&](const auto& v) { return tg::norm(v, order); });
  return dispatch_floating(x, "norm", [&](const auto& v) { return tg::norm(v, order, dims, keepdim); });
}

namespace {

// x converted to `dtype` when given, else as is; then, for a floating x, the typed op f, and for an integer
// or Bool one, `integer` on its values as Long (LibTorch's result dtype for these).
template <class F, class I>
Tensor floating_or_long(const Tensor& x, std::optional<ScalarType> dtype, const char* op, F&& f, I&& integer) {
  check_defined(x, op);
  const Tensor v = dtype ? promote_to(x, *dtype, op) : x;
  if (v.is_floating_point()) return dispatch_floating(v, op, f);
  return Tensor(integer(values_as<std::int64_t>(v, op)));
}

}  // namespace

Tensor prod(const Tensor& x, std::optional<ScalarType> dtype) {
  return floating_or_long(
      x, dtype, "prod", [](const auto& v) { return tg::prod(v); },
      [](const Labels& a) { return detail::prod_values(a, std::nullopt, false); });
}

Tensor prod(const Tensor& x, std::int64_t dim, bool keepdim, std::optional<ScalarType> dtype) {
  return floating_or_long(
      x, dtype, "prod", [=](const auto& v) { return tg::prod(v, dim, keepdim); },
      [=](const Labels& a) { return detail::prod_values(a, dim, keepdim); });
}

Tensor cumsum(const Tensor& x, std::int64_t dim, std::optional<ScalarType> dtype) {
  return floating_or_long(
      x, dtype, "cumsum", [=](const auto& v) { return tg::cumsum(v, dim); },
      [=](const Labels& a) { return detail::cumsum_values(a, dim); });
}

// Counts of nonzero elements against the count there is (all) or 0 (any).
Tensor all(const Tensor& x) {
  check_defined(x, "all");
  return eq(sum(ne(x, 0)), x.numel());
}

Tensor all(const Tensor& x, std::int64_t dim, bool keepdim) {
  check_defined(x, "all");
  return eq(sum(ne(x, 0), {dim}, keepdim), x.size(dim));
}

Tensor any(const Tensor& x) {
  check_defined(x, "any");
  return gt(sum(ne(x, 0)), 0);
}

Tensor any(const Tensor& x, std::int64_t dim, bool keepdim) {
  check_defined(x, "any");
  return gt(sum(ne(x, 0), {dim}, keepdim), 0);
}

// ---- shape ----

Tensor reshape(const Tensor& x, IntArrayRef shape) {
  return copied_view(x, "reshape", [&](const auto& v) { return tg::reshape(v, dims_of(shape)); });
}

Tensor view(const Tensor& x, IntArrayRef shape) {
  return copied_view(x, "view", [&](const auto& v) { return tg::view(v, dims_of(shape)); });
}

Tensor flatten(const Tensor& x, std::int64_t start_dim, std::int64_t end_dim) {
  return copied_view(x, "flatten", [=](const auto& v) { return tg::flatten(v, start_dim, end_dim); });
}

Tensor unflatten(const Tensor& x, std::int64_t dim, IntArrayRef sizes) {
  check_defined(x, "unflatten");
  if (x.dim() == 0) throw Error("unflatten: expected a tensor of at least one dim, got a 0-d tensor");
  const std::size_t d = normalize_dim(dim, static_cast<std::size_t>(x.dim()), "unflatten");
  if (sizes.empty()) throw Error("unflatten: expected at least one size for dim " + std::to_string(dim));
  std::vector<std::int64_t> split(sizes.begin(), sizes.end());
  std::int64_t known = 1;
  std::size_t inferred = split.size();
  for (std::size_t i = 0; i < split.size(); ++i) {
    if (split[i] == -1 && inferred == split.size()) inferred = i;
    else if (split[i] < 0)
      throw Error("unflatten: expected sizes >= 0 and at most one -1, got " + shape_str(split));
    else if (__builtin_mul_overflow(known, split[i], &known))
      throw Error("unflatten: the product of sizes " + shape_str(split) + " overflows int64");
  }
  const std::int64_t n = x.size(static_cast<std::int64_t>(d));
  if (inferred < split.size() && known != 0 && n % known == 0) split[inferred] = n / known;
  else if (inferred < split.size() || known != n)
    throw Error("unflatten: sizes " + shape_str(split) + " do not split dim " + std::to_string(dim) + " of size " +
                std::to_string(n) + " (shape " + shape_str(x.shape()) + ")");
  std::vector<std::int64_t> shape(x.sizes().vec());
  shape.erase(shape.begin() + static_cast<std::ptrdiff_t>(d));
  shape.insert(shape.begin() + static_cast<std::ptrdiff_t>(d), split.begin(), split.end());
  return reshape(x, shape);
}

Tensor squeeze(const Tensor& x) {
  check_defined(x, "squeeze");
  std::vector<std::int64_t> shape;
  for (std::size_t s : x.shape())
    if (s != 1) shape.push_back(static_cast<std::int64_t>(s));
  return detail::mark_copied_view(reshape(x, shape), x, "squeeze");
}

Tensor squeeze(const Tensor& x, std::int64_t dim) {
  check_defined(x, "squeeze");
  Shape s = x.shape();
  if (!s.empty()) {  // as LibTorch: dim 0 or -1 of a 0-d tensor leaves it as it is
    const std::size_t d = normalize_dim(dim, s.size(), "squeeze");
    if (s[d] == 1) s.erase(s.begin() + static_cast<std::ptrdiff_t>(d));
  }
  return detail::mark_copied_view(reshape(x, IntArrayRef(s)), x, "squeeze");
}

Tensor unsqueeze(const Tensor& x, std::int64_t dim) {
  check_defined(x, "unsqueeze");
  const Shape s = x.shape();
  const std::size_t d = normalize_dim(dim, s.size() + 1, "unsqueeze");
  return detail::mark_copied_view(reshape(x, IntArrayRef(insert_dim(s, d, 1))), x, "unsqueeze");
}

Tensor transpose(const Tensor& x, std::int64_t dim0, std::int64_t dim1) {
  return copied_view(x, "transpose", [=](const auto& v) { return tg::transpose(v, dim0, dim1); });
}

Tensor permute(const Tensor& x, IntArrayRef dims) {
  return copied_view(x, "permute", [&](const auto& v) { return tg::permute(v, dims_of(dims)); });
}

Tensor narrow(const Tensor& x, std::int64_t dim, std::int64_t start, std::int64_t length) {
  return copied_view(x, "narrow", [=](const auto& v) { return tg::narrow(v, dim, start, length); });
}

Tensor index_select(const Tensor& x, std::int64_t dim, const Tensor& index) {
  const Labels& idx = long_values(index, "index_select", "index");
  return any_dtype(x, "index_select", [&](const auto& v) { return tg::index_select(v, dim, idx); });
}

Tensor gather(const Tensor& x, std::int64_t dim, const Tensor& index) {
  const Labels& idx = long_values(index, "gather", "index");
  return any_dtype(x, "gather", [&](const auto& v) { return tg::gather(v, dim, idx); });
}

namespace {

// scatter and scatter_add of src: src of x's dtype, cut to index's shape; floating tensors through
// the recorded op, Long (and Bool, without add) through scatter_values.
Tensor scatter_src(const Tensor& x, std::int64_t dim, const Tensor& index, const Tensor& src, bool add) {
  const char* op = add ? "scatter_add" : "scatter";
  check_defined(x, op);
  check_defined(src, op);
  const Labels& idx = long_values(index, op, "index");
  if (src.scalar_type() != x.scalar_type())
    throw Error(std::string(op) + ": expected src of the input's dtype " + to_string(x.scalar_type()) + ", got " +
                to_string(src.scalar_type()));
  const Shape& is = idx.shape();
  bool fits = src.dim() == static_cast<std::int64_t>(is.size());
  for (std::size_t k = 0; fits && k < is.size(); ++k) fits = is[k] <= static_cast<std::size_t>(src.size(k));
  if (!fits)
    throw Error(std::string(op) + ": index of shape " + shape_str(is) + " does not fit src of shape " +
                shape_str(src.shape()) + " (expected the same rank, and index.size(k) <= src.size(k) for every k)");
  Tensor s = src;
  for (std::size_t k = 0; k < is.size(); ++k)
    if (static_cast<std::size_t>(s.size(k)) != is[k])
      s = narrow(s, static_cast<std::int64_t>(k), 0, static_cast<std::int64_t>(is[k]));
  if (x.is_floating_point())
    return dispatch_floating(x, op, [&](const auto& v) {
      using T = typename std::decay_t<decltype(v)>::value_type;
      return tg::scatter(v, dim, idx, s.template variable<T>(), add);
    });
  if (x.scalar_type() == kLong) {
    const Labels& sv = s.value<std::int64_t>();
    return Tensor(scatter_values<std::int64_t>(x.value<std::int64_t>(), dim, idx, sv.data(), 0, add, op));
  }
  if (add) throw Error("scatter_add: Bool tensors are not supported; convert with .to(tg::kLong)");
  return Tensor(scatter_values<bool>(x.value<bool>(), dim, idx, s.value<bool>().data(), false, false, op));
}

}  // namespace

Tensor scatter(const Tensor& x, std::int64_t dim, const Tensor& index, const Tensor& src) {
  return scatter_src(x, dim, index, src, false);
}

Tensor scatter_add(const Tensor& x, std::int64_t dim, const Tensor& index, const Tensor& src) {
  return scatter_src(x, dim, index, src, true);
}

Tensor scatter(const Tensor& x, std::int64_t dim, const Tensor& index, const Scalar& value) {
  check_defined(x, "scatter");
  const Labels& idx = long_values(index, "scatter", "index");
  if (x.is_floating_point())
    return dispatch_floating(x, "scatter", [&](const auto& v) {
      using T = typename std::decay_t<decltype(v)>::value_type;
      return tg::scatter(v, dim, idx, static_cast<T>(value.toDouble()));
    });
  if (x.scalar_type() == kLong) {
    const std::int64_t v = value.isFloatingPoint() ? detail::checked_cast<std::int64_t>(value.toDouble(), "scatter")
                                                   : value.toLong();
    return Tensor(scatter_values<std::int64_t>(x.value<std::int64_t>(), dim, idx, nullptr, v, false, "scatter"));
  }
  const bool v = value.isFloatingPoint() ? value.toDouble() != 0 : value.toLong() != 0;
  return Tensor(scatter_values<bool>(x.value<bool>(), dim, idx, nullptr, v, false, "scatter"));
}

Tensor index_add(const Tensor& x, std::int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha) {
  check_defined(x, "index_add");
  check_defined(source, "index_add");
  const Labels& idx = long_values(index, "index_add", "index");
  if (idx.dimension() != 1)
    throw Error("index_add: expected a 1-D index, got shape " + shape_str(idx.shape()));
  const std::size_t d = normalize_dim(dim, static_cast<std::size_t>(x.dim()), "index_add");
  Shape want = x.shape();
  want[d] = idx.size();
  if (source.shape() != want)
    throw Error("index_add: expected source of shape " + shape_str(want) + " (the input's " + shape_str(x.shape()) +
                " with dim " + std::to_string(dim) + " the index's length), got " + shape_str(source.shape()));
  detail::check_in_range("index_add", "index", idx, x.shape()[d],
                         "dim " + std::to_string(dim) + " of size " + std::to_string(x.shape()[d]));
  // The index spread over source's shape: element c of it is index[c along dim].
  Labels spread = Labels::from_shape(want);
  std::size_t inner = 1;
  for (std::size_t k = d + 1; k < want.size(); ++k) inner *= want[k];
  for (std::size_t p = 0; p < spread.size(); ++p) spread.data()[p] = idx.data()[p / inner % want[d]];
  const bool unit = alpha.isFloatingPoint() ? alpha.toDouble() == 1.0 : alpha.toLong() == 1;
  return scatter_add(x, dim, Tensor(std::move(spread)), unit ? source : source * alpha);
}

namespace {

// triu and tril: x with the elements of its last two dims where drop(i, j) holds set to zero.
template <class T>
Array<T> zero_where(Array<T> v, const Array<bool>& drop) {
  const std::size_t plane = drop.size();
  for (std::size_t p = 0; p < v.size(); ++p)
    if (drop.data()[p % plane]) v.data()[p] = T(0);
  return v;
}

Tensor triangle(const Tensor& x, std::int64_t diagonal, bool lower, const char* op) {
  check_defined(x, op);
  if (x.dim() < 2)
    throw Error(std::string(op) + ": expected a tensor of at least 2 dims, got shape " + shape_str(x.shape()));
  const auto rows = static_cast<std::int64_t>(x.size(-2)), cols = static_cast<std::int64_t>(x.size(-1));
  Array<bool> drop = Array<bool>::from_shape({static_cast<std::size_t>(rows), static_cast<std::size_t>(cols)});
  for (std::int64_t i = 0; i < rows; ++i)
    for (std::int64_t j = 0; j < cols; ++j)
      drop.data()[i * cols + j] = lower ? j - i > diagonal : j - i < diagonal;
  if (x.is_floating_point()) return masked_fill(x, Tensor(std::move(drop)), 0);
  if (x.scalar_type() == kLong) return Tensor(zero_where(x.value<std::int64_t>(), drop));
  return Tensor(zero_where(x.value<bool>(), drop));
}

}  // namespace

Tensor tril(const Tensor& x, std::int64_t diagonal) { return triangle(x, diagonal, true, "tril"); }
Tensor triu(const Tensor& x, std::int64_t diagonal) { return triangle(x, diagonal, false, "triu"); }

// A composite of index_select and index_add, whose gradients are each other's: the diagonal's
// elements are picked from, or added into, the matrix flattened, at row * cols + col.
Tensor diag(const Tensor& x, std::int64_t diagonal) {
  check_defined(x, "diag");
  if (x.dim() != 1 && x.dim() != 2)
    throw Error("diag: expected a 1-D or 2-D tensor, got shape " + shape_str(x.shape()));
  const std::int64_t k = diagonal;
  if (k == std::numeric_limits<std::int64_t>::min())
    throw Error("diag: diagonal " + std::to_string(k) + " is out of range");
  const std::int64_t row0 = k < 0 ? -k : 0, col0 = k > 0 ? k : 0;
  if (x.dim() == 2) {
    const std::int64_t rows = x.size(0), cols = x.size(1);
    const std::int64_t n = std::max<std::int64_t>(0, std::min(rows - std::min(row0, rows), cols - std::min(col0, cols)));
    const Tensor at = arange(n, kLong);
    return index_select(reshape(x, {-1}), 0, (at + row0) * cols + (at + col0));
  }
  if (x.scalar_type() == kBool) return diag(x.to(kLong), k).to(kBool);  // index_add adds no Bools
  const std::int64_t n = x.size(0);
  std::int64_t side = 0, cells = 0;
  if (__builtin_add_overflow(n, row0 + col0, &side) || __builtin_mul_overflow(side, side, &cells))
    throw Error("diag: the matrix of " + std::to_string(n) + " elements on diagonal " + std::to_string(k) +
                " would have more elements than an int64 counts");
  const Tensor at = arange(n, kLong);
  const Tensor flat = zeros({cells}, TensorOptions().dtype(x.scalar_type()));
  return reshape(index_add(flat, 0, (at + row0) * side + (at + col0), x), {side, side});
}

Tensor select(const Tensor& x, std::int64_t dim, std::int64_t index) {
  check_defined(x, "select");
  if (x.dim() == 0) throw Error("select: expected a tensor of at least one dim, got a 0-d tensor");
  const auto d = static_cast<std::int64_t>(normalize_dim(dim, static_cast<std::size_t>(x.dim()), "select"));
  const std::int64_t size = x.size(d), i = index < 0 ? index + size : index;
  if (i < 0 || i >= size)
    throw Error("select: index " + std::to_string(index) + " is out of range for dim " + std::to_string(dim) +
                " of size " + std::to_string(size) + " in shape " + shape_str(x.shape()) +
                " (expected -size <= index < size)");
  return detail::mark_copied_view(squeeze(narrow(x, d, i, 1), d), x, "select");
}

Tensor expand(const Tensor& x, IntArrayRef size) {
  return copied_view(x, "expand", [&](const auto& v) { return tg::expand(v, dims_of(size)); });
}

Tensor flip(const Tensor& x, IntArrayRef dims) {
  return any_dtype(x, "flip", [&](const auto& v) { return tg::flip(v, dims_of(dims)); });
}

Tensor repeat(const Tensor& x, IntArrayRef repeats) {
  return any_dtype(x, "repeat", [&](const auto& v) { return tg::repeat(v, dims_of(repeats)); });
}

// A composite of narrow and cat along each dim (their gradients roll the gradient back).
Tensor roll(const Tensor& x, IntArrayRef shifts, IntArrayRef dims) {
  check_defined(x, "roll");
  if (dims.empty()) {
    if (shifts.size() != 1)
      throw Error("roll: without dims, expected one shift (the flattened tensor is rolled), got " +
                  std::to_string(shifts.size()));
    return reshape(roll(reshape(x, {-1}), shifts, {0}), x.sizes());
  }
  if (shifts.size() != dims.size())
    throw Error("roll: expected one shift per dim, got " + std::to_string(shifts.size()) + " shifts and " +
                std::to_string(dims.size()) + " dims");
  Tensor out = x;
  for (std::size_t i = 0; i < dims.size(); ++i) {
    const auto d = static_cast<std::int64_t>(normalize_dim(dims[i], static_cast<std::size_t>(x.dim()), "roll"));
    const std::int64_t n = x.size(d);
    const std::int64_t s = n == 0 ? 0 : (shifts[i] % n + n) % n;
    if (s != 0) out = cat({narrow(out, d, n - s, s), narrow(out, d, 0, n - s)}, d);
  }
  return out.is_same(x) ? x.clone() : out;
}

// ---- sorting ----

namespace {

// The positions sort_indices picks (the first k, or all when k < 0) and x's values there: gather's,
// which sends the gradient back to them.
std::tuple<Tensor, Tensor> pick_sorted(const Tensor& x, std::int64_t dim, bool descending, std::int64_t k,
                                       const char* op) {
  check_defined(x, op);
  const Tensor indices =
      visit_values(x, [&](const auto& a) { return Tensor(detail::sort_indices(a, dim, descending, k, op)); });
  return {x.dim() == 0 ? x.clone() : gather(x, dim, indices), indices};
}

}  // namespace

std::tuple<Tensor, Tensor> sort(const Tensor& x, std::int64_t dim, bool descending) {
  return pick_sorted(x, dim, descending, -1, "sort");
}

Tensor argsort(const Tensor& x, std::int64_t dim, bool descending) {
  check_defined(x, "argsort");
  return visit_values(x,
                      [&](const auto& a) { return Tensor(detail::sort_indices(a, dim, descending, -1, "argsort")); });
}

std::tuple<Tensor, Tensor> topk(const Tensor& x, std::int64_t k, std::int64_t dim, bool largest, bool /*sorted*/) {
  if (k < 0) throw Error("topk: k " + std::to_string(k) + " is negative (expected 0 <= k <= the dim's size)");
  return pick_sorted(x, dim, largest, k, "topk");
}

Tensor einsum(const std::string& equation, const std::vector<Tensor>& operands) {
  ScalarType t = kBool;
  for (const Tensor& x : operands) {
    check_defined(x, "einsum");
    t = promote_types(t, x.scalar_type());
  }
  if (!is_floating_point(t)) throw Error("einsum: expected floating operands (Float or Double)");
  auto run = [&](auto tag) {
    using T = decltype(tag);
    std::vector<Variable<T>> vs;
    for (const Tensor& x : operands) vs.push_back(promote_to(x, t, "einsum").template variable<T>());
    return Tensor(tg::einsum(equation, vs));
  };
  return t == kFloat ? run(float{}) : run(double{});
}

// ---- joining and cutting ----

namespace {

// The list's common dtype, or an Error naming op for an empty list or an undefined tensor.
ScalarType common_dtype(const std::vector<Tensor>& xs, const char* op) {
  if (xs.empty()) throw Error(std::string(op) + ": expected a non-empty list of tensors");
  ScalarType t = kBool;
  for (const Tensor& x : xs) {
    check_defined(x, op);
    t = promote_types(t, x.scalar_type());
  }
  return t;
}

// f(std::vector<Variable<T>>) -> Variable<T> on the list in its common dtype.
template <class F>
Tensor join_tensors(const std::vector<Tensor>& xs, const char* op, F&& f) {
  const ScalarType t = common_dtype(xs, op);
  auto floating = [&](auto tag) {
    using T = decltype(tag);
    std::vector<Variable<T>> vs;
    for (const Tensor& x : xs) vs.push_back(promote_to(x, t, op).template variable<T>());
    return Tensor(f(vs));
  };
  if (t == kFloat) return floating(float{});
  if (t == kDouble) return floating(double{});
  return by_positions(xs, t, op, [&](const std::vector<Variable<double>>& p) {
    return std::vector<Variable<double>>{f(p)};
  }).front();
}

// f(Variable<T>) -> std::vector<Variable<T>> on x.
template <class F>
std::vector<Tensor> cut_tensor(const Tensor& x, const char* op, F&& f) {
  check_defined(x, op);
  std::vector<Tensor> out;
  if (!x.is_floating_point()) {
    out = by_positions({x}, x.scalar_type(), op, [&](const std::vector<Variable<double>>& p) { return f(p.front()); });
  } else {
    auto run = [&](const auto& v) {
      for (auto& piece : f(v)) out.emplace_back(std::move(piece));
    };
    if (x.scalar_type() == kFloat) run(x.variable<float>());
    else run(x.variable<double>());
  }
  for (Tensor& piece : out) piece = detail::mark_copied_view(std::move(piece), x, op);  // views in LibTorch
  return out;
}

}  // namespace

Tensor cat(const std::vector<Tensor>& tensors, std::int64_t dim) {
  return join_tensors(tensors, "cat", [dim](const auto& vs) { return tg::cat(vs, dim); });
}

Tensor stack(const std::vector<Tensor>& tensors, std::int64_t dim) {
  return join_tensors(tensors, "stack", [dim](const auto& vs) { return tg::stack(vs, dim); });
}

std::vector<Tensor> split(const Tensor& x, std::int64_t split_size, std::int64_t dim) {
  return cut_tensor(x, "split", [=](const auto& v) { return tg::split(v, split_size, dim); });
}

std::vector<Tensor> split(const Tensor& x, IntArrayRef split_sizes, std::int64_t dim) {
  const std::vector<std::int64_t> sizes(split_sizes.begin(), split_sizes.end());
  return cut_tensor(x, "split", [&](const auto& v) { return tg::split(v, sizes, dim); });
}

std::vector<Tensor> chunk(const Tensor& x, std::int64_t chunks, std::int64_t dim) {
  return cut_tensor(x, "chunk", [=](const auto& v) { return tg::chunk(v, chunks, dim); });
}

}  // namespace tg
