// The kernels one instruction set's copy provides, as a table of function pointers: each copy
// (kernels/table.cpp, compiled per instruction set) fills one, kernels/dispatch.cpp picks the one
// the CPU runs best. The types shared by every copy live here, outside the per-set namespaces.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

#include <tapegrad/kernels/conv2d_geometry.hpp>

namespace tg::kernels {

// A row's logsumexp kept in its two parts, max + log(sum(exp(x - max))). Shifting x by the parts in
// turn, (x - max) - log_sum, stays exact where x - logsumexp would round: at |x| = 1000 a float's
// spacing is 6e-5, so a float log_softmax of [1000, 1000] would be off by that much.
template <class T>
struct RowLse {
  T max, log_sum;
  T value() const { return max + log_sum; }
};

// One SGD step's coefficients, computed in double and rounded to T once (optim/detail/update_rules.hpp).
template <class T>
struct SGDCoefficients {
  T neg_lr, weight_decay, momentum, one_minus_dampening;
  bool decay, nesterov, first_step;  // decay: weight_decay != 0; first_step: the buffer starts as d
};

// One Adam step's coefficients, computed in double and rounded to T once (optim/detail/update_rules.hpp).
template <class T>
struct AdamCoefficients {
  T beta1, one_minus_beta1, beta2, one_minus_beta2, sqrt_bias_correction2, eps, neg_step_size;
  T coupled_decay, decoupled_scale;
  bool coupled, decoupled;  // weight decay added to the gradient (Adam), or scaling the parameter (AdamW)
};

// One entry a kernel; what each computes is said where it is written (kernels/conv2d.hpp, gemm.hpp, sums.hpp,
// row_softmax.hpp, normalization.hpp, transpose.hpp, elementwise.hpp, sgd.hpp, adam.hpp).
template <class T>
struct KernelTable {
  std::size_t lanes;  // of the vectors the conv2d products use
  void (*conv2d_forward)(const T* padded, const T* w, const T* bias, const Conv2dGeometry& g, std::size_t N,
                         std::size_t O, T* out);
  void (*conv2d_weight_grad)(const T* padded, const T* dy, const Conv2dGeometry& g, std::size_t N, std::size_t O,
                             T* dw, bool fresh);
  void (*conv2d_input_grad)(const T* dy, const T* w, const Conv2dGeometry& g, std::size_t N, std::size_t O, T* dx,
                            bool fresh);
  void (*conv2d_bias_grad)(const T* dy, std::size_t N, std::size_t O, std::size_t L, T* db, bool fresh);
  void (*gemm)(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, T alpha, const T* a,
               std::size_t lda, const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc);
  void (*transpose)(const T* src, std::size_t rows, std::size_t cols, std::size_t src_stride, T* dst,
                    std::size_t dst_stride);
  T (*row_sum)(const T* x, std::size_t n);
  void (*column_sums)(const T* src, std::size_t rows, std::size_t cols, T* out, bool fresh);
  RowLse<T> (*row_logsumexp)(const T* x, std::size_t n);
  void (*row_scaled_exp)(const T* x, RowLse<T> shift, T scale, T* y, std::size_t n, bool accumulate);
  T (*row_dot)(const T* a, const T* b, std::size_t n);
  T (*row_centered_sumsq)(const T* x, std::size_t n, T mean);
  std::pair<T, T> (*row_sum_and_dot)(const T* g, const T* x, std::size_t n);
  void (*row_affine)(const T* x, std::size_t n, T a, T b, T* y);
  void (*row_affine2)(const T* g, const T* x, std::size_t n, T a, T b, T c, T* y);
  void (*map_exp)(const T* x, std::size_t n, T* y);
  void (*map_log)(const T* x, std::size_t n, T* y);
  void (*map_tanh)(const T* x, std::size_t n, T* y);
  void (*map_sigmoid)(const T* x, std::size_t n, T* y);
  void (*map_bytes_affine)(const std::uint8_t* x, std::size_t n, T a, T b, T* y);
  void (*sgd_update)(const SGDCoefficients<T>& c, std::size_t n, T* param, const T* grad, T* momentum_buffer);
  void (*adam_update)(const AdamCoefficients<T>& c, std::size_t n, T* param, const T* grad, T* exp_avg,
                      T* exp_avg_sq, T* max_exp_avg_sq);
};

}  // namespace tg::kernels
