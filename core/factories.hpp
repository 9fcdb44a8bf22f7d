// Tensor factories with LibTorch's names and dtype rules: zeros, ones, full, empty, randn, rand,
// randint, arange, linspace, eye, the *_like forms, and tensor({...}) from values. Each takes
// TensorOptions (a dtype, tg::requires_grad(), a device); the default dtype is kFloat, except
// where LibTorch infers one: randint gives kLong, arange of integers kLong, full of an integer fill
// kLong (of a bool, kBool), tensor({1, 2}) kLong, tensor({1.0, 2.0}) kFloat, tensor({true}) kBool.
// Random factories draw from this thread's engine (tg::manual_seed), so runs repeat.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <type_traits>
#include <vector>

#include <tapegrad/core/tensor.hpp>

namespace tg {

Tensor zeros(IntArrayRef size, const TensorOptions& options = {});
Tensor ones(IntArrayRef size, const TensorOptions& options = {});
Tensor empty(IntArrayRef size, const TensorOptions& options = {});  // zero-filled, so never garbage
Tensor full(IntArrayRef size, const Scalar& fill_value, const TensorOptions& options = {});
Tensor randn(IntArrayRef size, const TensorOptions& options = {});  // N(0, 1)
Tensor rand(IntArrayRef size, const TensorOptions& options = {});   // U[0, 1)
Tensor randint(std::int64_t high, IntArrayRef size, const TensorOptions& options = {});  // [0, high)
Tensor randint(std::int64_t low, std::int64_t high, IntArrayRef size, const TensorOptions& options = {});
Tensor randperm(std::int64_t n, const TensorOptions& options = {});  // 0..n-1 shuffled; kLong
// A tensor of `sizes` holding the elements at `data`, read as options' dtype (kFloat by default).
// Where tapegrad differs: the elements are copied (a tensor owns its buffer), so later writes to
// `data` do not show in the tensor, nor the tensor's in `data`.
Tensor from_blob(const void* data, IntArrayRef sizes, const TensorOptions& options = {});
// start, start + step, ... while < end (> end for a negative step).
Tensor arange(const Scalar& end, const TensorOptions& options = {});
Tensor arange(const Scalar& start, const Scalar& end, const TensorOptions& options = {});
Tensor arange(const Scalar& start, const Scalar& end, const Scalar& step, const TensorOptions& options = {});
Tensor linspace(const Scalar& start, const Scalar& end, std::int64_t steps, const TensorOptions& options = {});
Tensor eye(std::int64_t n, const TensorOptions& options = {});
Tensor eye(std::int64_t n, std::int64_t m, const TensorOptions& options = {});

// Of `like`'s shape, and its dtype unless `options` names one.
Tensor zeros_like(const Tensor& like, const TensorOptions& options = {});
Tensor ones_like(const Tensor& like, const TensorOptions& options = {});
Tensor empty_like(const Tensor& like, const TensorOptions& options = {});
Tensor full_like(const Tensor& like, const Scalar& fill_value, const TensorOptions& options = {});
Tensor randn_like(const Tensor& like, const TensorOptions& options = {});
Tensor rand_like(const Tensor& like, const TensorOptions& options = {});

namespace detail {
// The tensor of `shape` holding `values` (row-major), of options' dtype or else `inferred`.
Tensor tensor_from(const std::vector<double>& values, const Shape& shape, ScalarType inferred,
                   const TensorOptions& options);
Tensor tensor_from(const std::vector<std::int64_t>& values, const Shape& shape, ScalarType inferred,
                   const TensorOptions& options);

template <class T>
using if_number = std::enable_if_t<std::is_arithmetic_v<T>, int>;

template <class T>
constexpr ScalarType inferred_dtype() {
  return std::is_same_v<T, bool> ? kBool : std::is_integral_v<T> ? kLong : kFloat;
}

template <class T>
using Held = std::conditional_t<std::is_floating_point_v<T>, double, std::int64_t>;

// Appends the rows of a nested list, checking that they are all as long as the first.
template <class T>
void flatten_rows(std::initializer_list<std::initializer_list<T>> rows, std::vector<Held<T>>& out, Shape& shape) {
  shape.push_back(rows.size());
  shape.push_back(rows.size() ? rows.begin()->size() : 0);
  for (const auto& row : rows) {
    if (row.size() != shape.back())
      throw Error("tensor: expected rows of equal length " + std::to_string(shape.back()) + ", got one of " +
                  std::to_string(row.size()));
    out.insert(out.end(), row.begin(), row.end());
  }
}
}  // namespace detail

// A 0-d tensor: tg::tensor(3.5), tg::tensor(7, tg::kDouble).
template <class T, detail::if_number<T> = 0>
Tensor tensor(T value, const TensorOptions& options = {}) {
  return detail::tensor_from(std::vector<detail::Held<T>>{detail::Held<T>(value)}, {}, detail::inferred_dtype<T>(),
                             options);
}

template <class T, detail::if_number<T> = 0>
Tensor tensor(const std::vector<T>& values, const TensorOptions& options = {}) {
  return detail::tensor_from(std::vector<detail::Held<T>>(values.begin(), values.end()), {values.size()},
                             detail::inferred_dtype<T>(), options);
}

template <class T, detail::if_number<T> = 0>
Tensor tensor(std::initializer_list<T> values, const TensorOptions& options = {}) {
  return detail::tensor_from(std::vector<detail::Held<T>>(values.begin(), values.end()), {values.size()},
                             detail::inferred_dtype<T>(), options);
}

// 2-D: tg::tensor({{1.0, 2.0}, {3.0, 4.0}}).
template <class T, detail::if_number<T> = 0>
Tensor tensor(std::initializer_list<std::initializer_list<T>> rows, const TensorOptions& options = {}) {
  std::vector<detail::Held<T>> values;
  Shape shape;
  detail::flatten_rows(rows, values, shape);
  return detail::tensor_from(values, shape, detail::inferred_dtype<T>(), options);
}

// 3-D: tg::tensor({{{1, 2}}, {{3, 4}}}).
template <class T, detail::if_number<T> = 0>
Tensor tensor(std::initializer_list<std::initializer_list<std::initializer_list<T>>> blocks,
              const TensorOptions& options = {}) {
  std::vector<detail::Held<T>> values;
  Shape shape{blocks.size()}, first;
  for (const auto& block : blocks) {
    Shape s;
    detail::flatten_rows(block, values, s);
    if (first.empty()) first = s;
    if (s != first)
      throw Error("tensor: expected blocks of equal shape " + shape_str(first) + ", got one of " + shape_str(s));
  }
  if (first.empty()) first = {0, 0};
  shape.insert(shape.end(), first.begin(), first.end());
  return detail::tensor_from(values, shape, detail::inferred_dtype<T>(), options);
}

}  // namespace tg
