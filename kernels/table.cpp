// This instruction set's copy of the kernels, as a KernelTable (compiled once per set, like every
// source in TAPEGRAD_SIMD_SOURCES).
#include <tapegrad/kernels/table.hpp>

#include <tapegrad/kernels/adam.hpp>
#include <tapegrad/kernels/conv2d.hpp>
#include <tapegrad/kernels/elementwise.hpp>
#include <tapegrad/kernels/gemm.hpp>
#include <tapegrad/kernels/normalization.hpp>
#include <tapegrad/kernels/row_softmax.hpp>
#include <tapegrad/kernels/sgd.hpp>
#include <tapegrad/kernels/sums.hpp>
#include <tapegrad/kernels/transpose.hpp>

namespace tg::kernels::TG_SIMD_ARCH {

template <class T>
constexpr KernelTable<T> make_table() {
  return {kLanes<T>,           &conv2d_forward<T>,  &conv2d_weight_grad<T>, &conv2d_input_grad<T>,
          &conv2d_bias_grad<T>, &gemm<T>,            &transpose<T>,          &row_sum<T>,
          &column_sums<T>,      &row_logsumexp<T>,   &row_scaled_exp<T>,     &row_dot<T>,
          &row_centered_sumsq<T>, &row_sum_and_dot<T>, &row_affine<T>,       &row_affine2<T>,
          &map_exp<T>,          &map_log<T>,         &map_tanh<T>,           &map_sigmoid<T>,
          &map_bytes_affine<T>, &sgd_update<T>,      &adam_update<T>};
}

extern const KernelTable<float> float_table;
extern const KernelTable<double> double_table;
const KernelTable<float> float_table = make_table<float>();
const KernelTable<double> double_table = make_table<double>();

}  // namespace tg::kernels::TG_SIMD_ARCH
