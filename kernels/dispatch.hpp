// The kernels, as the rest of the library calls them: each call goes to the copy for the SIMD level
// in use (tg::simd_level(), core/simd_level.hpp) through its KernelTable, one indirect call.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

#include <tapegrad/kernels/conv2d_geometry.hpp>
#include <tapegrad/kernels/table.hpp>

namespace tg::kernels {

struct KernelTables {
  const KernelTable<float>* f;
  const KernelTable<double>* d;
};

namespace detail {
// Null until the first kernel call or set_simd_level.
extern std::atomic<const KernelTables*> active_tables;
// Picks the tables for TAPEGRAD_SIMD or the CPU, as tg::simd_level() documents.
const KernelTables& choose_tables();
}  // namespace detail

template <class T>
const KernelTable<T>& active() {
  const KernelTables* t = detail::active_tables.load(std::memory_order_acquire);
  if (!t) t = &detail::choose_tables();
  if constexpr (std::is_same_v<T, float>)
    return *t->f;
  else
    return *t->d;
}

// Channels rounded up to the widest vector any level uses (64 bytes): a bound on the kernels'
// channel-padded buffers, for the callers' overflow checks.
template <class T>
constexpr std::size_t max_padded_channels(std::size_t channels) {
  constexpr std::size_t lanes = 64 / sizeof(T);
  return (channels + lanes - 1) / lanes * lanes;
}

template <class T>
void conv2d_forward(const T* padded, const T* w, const T* bias, const Conv2dGeometry& g, std::size_t N, std::size_t O,
                    T* out) {
  active<T>().conv2d_forward(padded, w, bias, g, N, O, out);
}
template <class T>
void conv2d_weight_grad(const T* padded, const T* dy, const Conv2dGeometry& g, std::size_t N, std::size_t O, T* dw,
                        bool fresh) {
  active<T>().conv2d_weight_grad(padded, dy, g, N, O, dw, fresh);
}
template <class T>
void conv2d_input_grad(const T* dy, const T* w, const Conv2dGeometry& g, std::size_t N, std::size_t O, T* dx,
                       bool fresh) {
  active<T>().conv2d_input_grad(dy, w, g, N, O, dx, fresh);
}
template <class T>
void conv2d_bias_grad(const T* dy, std::size_t N, std::size_t O, std::size_t L, T* db, bool fresh) {
  active<T>().conv2d_bias_grad(dy, N, O, L, db, fresh);
}
template <class T>
void gemm(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, T alpha, const T* a,
          std::size_t lda, const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc) {
  active<T>().gemm(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
template <class T>
void transpose(const T* src, std::size_t rows, std::size_t cols, std::size_t src_stride, T* dst,
               std::size_t dst_stride) {
  active<T>().transpose(src, rows, cols, src_stride, dst, dst_stride);
}
template <class T>
T row_sum(const T* x, std::size_t n) {
  return active<T>().row_sum(x, n);
}
template <class T>
void column_sums(const T* src, std::size_t rows, std::size_t cols, T* out, bool fresh) {
  active<T>().column_sums(src, rows, cols, out, fresh);
}
template <class T>
RowLse<T> row_logsumexp(const T* x, std::size_t n) {
  return active<T>().row_logsumexp(x, n);
}
template <class T>
void row_scaled_exp(const T* x, RowLse<T> shift, T scale, T* y, std::size_t n, bool accumulate = false) {
  active<T>().row_scaled_exp(x, shift, scale, y, n, accumulate);
}
template <class T>
T row_dot(const T* a, const T* b, std::size_t n) {
  return active<T>().row_dot(a, b, n);
}
template <class T>
T row_centered_sumsq(const T* x, std::size_t n, T mean) {
  return active<T>().row_centered_sumsq(x, n, mean);
}
template <class T>
std::pair<T, T> row_sum_and_dot(const T* g, const T* x, std::size_t n) {
  return active<T>().row_sum_and_dot(g, x, n);
}
template <class T>
void row_affine(const T* x, std::size_t n, T a, T b, T* y) {
  active<T>().row_affine(x, n, a, b, y);
}
template <class T>
void row_affine2(const T* g, const T* x, std::size_t n, T a, T b, T c, T* y) {
  active<T>().row_affine2(g, x, n, a, b, c, y);
}

// The array (a contiguous xtensor container) with f (one of the map_ kernels) applied to every element.
template <class A, class F>
A mapped(const A& x, F f) {
  A y = A::from_shape(x.shape());
  f(x.data(), x.size(), y.data());
  return y;
}

template <class T>
void map_exp(const T* x, std::size_t n, T* y) {
  active<T>().map_exp(x, n, y);
}
template <class T>
void map_log(const T* x, std::size_t n, T* y) {
  active<T>().map_log(x, n, y);
}
template <class T>
void map_tanh(const T* x, std::size_t n, T* y) {
  active<T>().map_tanh(x, n, y);
}
template <class T>
void map_sigmoid(const T* x, std::size_t n, T* y) {
  active<T>().map_sigmoid(x, n, y);
}
template <class T>
void map_bytes_affine(const std::uint8_t* x, std::size_t n, T a, T b, T* y) {
  active<T>().map_bytes_affine(x, n, a, b, y);
}
template <class T>
void sgd_update(const SGDCoefficients<T>& c, std::size_t n, T* param, const T* grad, T* momentum_buffer) {
  active<T>().sgd_update(c, n, param, grad, momentum_buffer);
}
template <class T>
void adam_update(const AdamCoefficients<T>& c, std::size_t n, T* param, const T* grad, T* exp_avg, T* exp_avg_sq,
                 T* max_exp_avg_sq) {
  active<T>().adam_update(c, n, param, grad, exp_avg, exp_avg_sq, max_exp_avg_sq);
}

}  // namespace tg::kernels
