#include <tapegrad/core/factories.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <random>

#include <tapegrad/core/dispatch.hpp>
#include <tapegrad/core/random.hpp>

namespace tg {
namespace {

// Sizes as a Shape: each >= 0, and the element count must not overflow.
Shape to_sizes(IntArrayRef size, const char* op) {
  Shape shape;
  for (std::int64_t s : size) {
    if (s < 0) throw Error(std::string(op) + ": expected sizes >= 0, got " + shape_str(size.vec()));
    shape.push_back(static_cast<std::size_t>(s));
  }
  checked_numel(shape, op);
  return shape;
}

// Applies options' requires_grad (floating dtypes only) and device to a fresh tensor.
Tensor finish(Tensor t, const TensorOptions& options, const char* op) {
  check_cpu(options.device(), op);
  if (options.requires_grad()) {
    if (!t.is_floating_point())
      throw Error(std::string(op) + ": only tensors of a floating dtype can require gradients, got " +
                  to_string(t.scalar_type()));
    t.requires_grad_(true);
  }
  return t;
}

template <class T, class V>
Tensor filled_as(const Shape& shape, V value, const char* op) {
  Array<T> a = Array<T>::from_shape(shape);
  a.fill(detail::checked_cast<T>(value, op));
  return Tensor(std::move(a));
}

// A tensor of `shape` and `dtype` with every element `value`.
template <class V>
Tensor filled(const Shape& shape, ScalarType dtype, V value, const char* op) {
  switch (dtype) {
    case kFloat: return filled_as<float>(shape, value, op);
    case kDouble: return filled_as<double>(shape, value, op);
    case kLong: return filled_as<std::int64_t>(shape, value, op);
    case kBool: break;
  }
  return filled_as<bool>(shape, value, op);
}

Tensor filled(const Shape& shape, ScalarType dtype, const Scalar& value, const char* op) {
  return value.isFloatingPoint() ? filled(shape, dtype, value.toDouble(), op) : filled(shape, dtype, value.toLong(), op);
}

TensorOptions like_options(const Tensor& like, const TensorOptions& options) {
  return options.has_dtype() ? options : options.dtype(like.scalar_type());
}

}  // namespace

Tensor zeros(IntArrayRef size, const TensorOptions& options) {
  return finish(filled(to_sizes(size, "zeros"), options.dtype(), std::int64_t{0}, "zeros"), options, "zeros");
}

Tensor ones(IntArrayRef size, const TensorOptions& options) {
  return finish(filled(to_sizes(size, "ones"), options.dtype(), std::int64_t{1}, "ones"), options, "ones");
}

Tensor empty(IntArrayRef size, const TensorOptions& options) {
  return finish(filled(to_sizes(size, "empty"), options.dtype(), std::int64_t{0}, "empty"), options, "empty");
}

Tensor full(IntArrayRef size, const Scalar& fill_value, const TensorOptions& options) {
  const ScalarType inferred = fill_value.isBoolean() ? kBool : fill_value.isIntegral(false) ? kLong : kFloat;
  const ScalarType dtype = options.has_dtype() ? options.dtype() : inferred;
  return finish(filled(to_sizes(size, "full"), dtype, fill_value, "full"), options, "full");
}

Tensor randn(IntArrayRef size, const TensorOptions& options) {
  const Shape shape = to_sizes(size, "randn");
  switch (options.dtype()) {
    case kFloat: return finish(Tensor(tg::randn<float>(shape)), options, "randn");
    case kDouble: return finish(Tensor(tg::randn<double>(shape)), options, "randn");
    default:
      throw Error(std::string("randn: expected a floating dtype (Float or Double), got ") + to_string(options.dtype()));
  }
}

Tensor rand(IntArrayRef size, const TensorOptions& options) {
  const Shape shape = to_sizes(size, "rand");
  switch (options.dtype()) {
    case kFloat: return finish(Tensor(rand_uniform<float>(shape)), options, "rand");
    case kDouble: return finish(Tensor(rand_uniform<double>(shape)), options, "rand");
    default:
      throw Error(std::string("rand: expected a floating dtype (Float or Double), got ") + to_string(options.dtype()));
  }
}

Tensor randint(std::int64_t high, IntArrayRef size, const TensorOptions& options) {
  return randint(0, high, size, options);
}

Tensor randint(std::int64_t low, std::int64_t high, IntArrayRef size, const TensorOptions& options) {
  if (low >= high)
    throw Error("randint: expected low < high, got low " + std::to_string(low) + ", high " + std::to_string(high));
  Array<std::int64_t> values = Array<std::int64_t>::from_shape(to_sizes(size, "randint"));
  std::uniform_int_distribution<std::int64_t> dist(low, high - 1);
  for (auto& v : values) v = dist(generator());
  const ScalarType dtype = options.has_dtype() ? options.dtype() : kLong;
  return finish(promote_to(Tensor(std::move(values)), dtype, "randint"), options, "randint");
}

Tensor randperm(std::int64_t n, const TensorOptions& options) {
  if (n < 0) throw Error("randperm: expected n >= 0, got " + std::to_string(n));
  Array<std::int64_t> values = Array<std::int64_t>::from_shape({static_cast<std::size_t>(n)});
  std::iota(values.begin(), values.end(), std::int64_t(0));
  std::shuffle(values.begin(), values.end(), generator());
  const ScalarType dtype = options.has_dtype() ? options.dtype() : kLong;
  return finish(promote_to(Tensor(std::move(values)), dtype, "randperm"), options, "randperm");
}

Tensor from_blob(const void* data, IntArrayRef sizes, const TensorOptions& options) {
  const Shape shape = to_sizes(sizes, "from_blob");
  if (!data && checked_numel(shape, "from_blob") > 0) throw Error("from_blob: data is null");
  const ScalarType dtype = options.has_dtype() ? options.dtype() : kFloat;
  auto copied = [&](auto zero) {
    using T = decltype(zero);
    Array<T> a = Array<T>::from_shape(shape);
    if (a.size() > 0) std::memcpy(a.data(), data, a.size() * sizeof(T));
    return Tensor(std::move(a));
  };
  Tensor t = dtype == kFloat ? copied(0.0f) : dtype == kDouble ? copied(0.0) : dtype == kLong ? copied(std::int64_t{0}) : copied(false);
  return finish(t, options, "from_blob");
}

Tensor arange(const Scalar& end, const TensorOptions& options) { return arange(0, end, 1, options); }

Tensor arange(const Scalar& start, const Scalar& end, const TensorOptions& options) {
  return arange(start, end, 1, options);
}

Tensor arange(const Scalar& start, const Scalar& end, const Scalar& step, const TensorOptions& options) {
  const double a = start.toDouble(), b = end.toDouble(), s = step.toDouble();
  if (!std::isfinite(a) || !std::isfinite(b) || !std::isfinite(s))
    throw Error("arange: expected finite start, end and step");
  if (s == 0) throw Error("arange: expected a nonzero step");
  if ((b - a) / s < 0)
    throw Error("arange: upper bound and larger bound inconsistent with step sign (start " + std::to_string(a) +
                ", end " + std::to_string(b) + ", step " + std::to_string(s) + ")");
  const bool integral = start.isIntegral(true) && end.isIntegral(true) && step.isIntegral(true);
  const ScalarType dtype = options.has_dtype() ? options.dtype() : integral ? kLong : kFloat;
  const auto n = static_cast<std::size_t>(std::ceil((b - a) / s));
  if (integral) {
    std::vector<std::int64_t> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = start.toLong() + static_cast<std::int64_t>(i) * step.toLong();
    return detail::tensor_from(v, {n}, dtype, options);
  }
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = a + static_cast<double>(i) * s;
  return detail::tensor_from(v, {n}, dtype, options);
}

Tensor linspace(const Scalar& start, const Scalar& end, std::int64_t steps, const TensorOptions& options) {
  if (steps < 0) throw Error("linspace: expected steps >= 0, got " + std::to_string(steps));
  const double a = start.toDouble(), b = end.toDouble();
  std::vector<double> v(static_cast<std::size_t>(steps));
  // As ATen: the first half counts up from start, the second half down from end, so both ends are exact.
  const double step = steps > 1 ? (b - a) / static_cast<double>(steps - 1) : 0;
  const std::int64_t half = steps / 2;
  for (std::int64_t i = 0; i < steps; ++i)
    v[static_cast<std::size_t>(i)] = i < half ? a + step * static_cast<double>(i) : b - step * static_cast<double>(steps - 1 - i);
  return detail::tensor_from(v, {v.size()}, kFloat, options);
}

Tensor eye(std::int64_t n, const TensorOptions& options) { return eye(n, n, options); }

Tensor eye(std::int64_t n, std::int64_t m, const TensorOptions& options) {
  const Shape shape = to_sizes({n, m}, "eye");
  std::vector<std::int64_t> v(shape[0] * shape[1], 0);
  for (std::size_t i = 0; i < std::min(shape[0], shape[1]); ++i) v[i * shape[1] + i] = 1;
  return detail::tensor_from(v, shape, kFloat, options);
}

Tensor zeros_like(const Tensor& like, const TensorOptions& options) { return zeros(like.sizes(), like_options(like, options)); }
Tensor ones_like(const Tensor& like, const TensorOptions& options) { return ones(like.sizes(), like_options(like, options)); }
Tensor empty_like(const Tensor& like, const TensorOptions& options) { return empty(like.sizes(), like_options(like, options)); }
Tensor full_like(const Tensor& like, const Scalar& fill_value, const TensorOptions& options) {
  return full(like.sizes(), fill_value, like_options(like, options));
}
Tensor randn_like(const Tensor& like, const TensorOptions& options) { return randn(like.sizes(), like_options(like, options)); }
Tensor rand_like(const Tensor& like, const TensorOptions& options) { return rand(like.sizes(), like_options(like, options)); }

namespace detail {

namespace {
template <class V>
Tensor tensor_of(const std::vector<V>& values, const Shape& shape, ScalarType inferred, const TensorOptions& options) {
  Array<V> a = Array<V>::from_shape(shape);
  std::copy(values.begin(), values.end(), a.data());
  Tensor held(std::move(a));
  // Values were held as double or int64; a Bool list was held as int64 too.
  const ScalarType dtype = options.has_dtype() ? options.dtype() : inferred;
  return finish(promote_to(held, dtype, "tensor"), options, "tensor");
}
}  // namespace

Tensor tensor_from(const std::vector<double>& values, const Shape& shape, ScalarType inferred,
                   const TensorOptions& options) {
  return tensor_of(values, shape, inferred, options);
}

Tensor tensor_from(const std::vector<std::int64_t>& values, const Shape& shape, ScalarType inferred,
                   const TensorOptions& options) {
  return tensor_of(values, shape, inferred, options);
}

}  // namespace detail

}  // namespace tg
