// 1-D convolution and pooling over (N, C, L) or unbatched (C, L): the 2-D ops on a height of 1, so
// they share conv2d's and the pools' kernels and backward. The checks are their own, so that a
// mistake is named in 1-D terms.
#include <tapegrad/ops/tensor_ops.hpp>

#include <string>

namespace tg {
namespace {

// One number >= least for a 1-D op's kernel size, stride or padding.
std::int64_t single(IntArrayRef v, const char* op, const char* what, std::int64_t least) {
  if (v.size() != 1)
    throw Error(std::string(op) + ": expected " + what + " as one number, got " + std::to_string(v.size()));
  if (v[0] < least)
    throw Error(std::string(op) + ": expected " + what + " >= " + std::to_string(least) + ", got " + std::to_string(v[0]));
  return v[0];
}

// x as (N, C, 1, L), after checking it is (N, C, L) or (C, L) and at least `kernel` long with padding.
Tensor with_height(const Tensor& x, const char* op, std::int64_t kernel, std::int64_t padding) {
  if (!x.defined()) throw Error(std::string(op) + ": the tensor is undefined (default-constructed)");
  if (x.dim() != 2 && x.dim() != 3)
    throw Error(std::string(op) + ": expected input (N, C, L) or (C, L), got " + shape_str(x.shape()));
  const std::int64_t length = x.size(-1);
  if (length + 2 * padding < kernel)
    throw Error(std::string(op) + ": input " + shape_str(x.shape()) + " with padding " + std::to_string(padding) +
                " is shorter than the kernel (" + std::to_string(kernel) + ")");
  return x.dim() == 3 ? x.unsqueeze(2) : x.unsqueeze(0).unsqueeze(2);
}

// The 2-D op's result (N, C, 1, L') back in x's form.
Tensor without_height(const Tensor& y, const Tensor& x) { return x.dim() == 3 ? y.squeeze(2) : y.squeeze(2).squeeze(0); }

// A pool's padding is at most half its kernel, as LibTorch's.
void check_pool_padding(const char* op, std::int64_t kernel, std::int64_t padding) {
  if (2 * padding > kernel)
    throw Error(std::string(op) + ": expected padding at most half the kernel size, got padding " +
                std::to_string(padding) + " for kernel " + std::to_string(kernel));
}

}  // namespace

Tensor conv1d(const Tensor& x, const Tensor& weight, const Tensor& bias, IntArrayRef stride, IntArrayRef padding) {
  const char* op = "conv1d";
  if (!weight.defined() || weight.dim() != 3)
    throw Error(std::string(op) + ": expected weight (out_channels, in_channels, kernel), got " +
                (weight.defined() ? shape_str(weight.shape()) : std::string("an undefined tensor")));
  const std::int64_t s = single(stride, op, "stride", 1), p = single(padding, op, "padding", 0);
  const Tensor x2 = with_height(x, op, weight.size(2), p);
  if (x2.size(1) != weight.size(1))
    throw Error(std::string(op) + ": input " + shape_str(x.shape()) + " has " + std::to_string(x2.size(1)) +
                " channels, weight " + shape_str(weight.shape()) + " expects " + std::to_string(weight.size(1)));
  return without_height(conv2d(x2, weight.unsqueeze(2), bias, {1, s}, {0, p}), x);
}

Tensor max_pool1d(const Tensor& x, IntArrayRef kernel_size, IntArrayRef stride, IntArrayRef padding) {
  const char* op = "max_pool1d";
  const std::int64_t k = single(kernel_size, op, "kernel_size", 1);
  const std::int64_t s = stride.empty() ? k : single(stride, op, "stride", 1), p = single(padding, op, "padding", 0);
  check_pool_padding(op, k, p);
  return without_height(max_pool2d(with_height(x, op, k, p), {1, k}, {1, s}, {0, p}), x);
}

Tensor avg_pool1d(const Tensor& x, IntArrayRef kernel_size, IntArrayRef stride, IntArrayRef padding, bool ceil_mode,
                  bool count_include_pad) {
  const char* op = "avg_pool1d";
  const std::int64_t k = single(kernel_size, op, "kernel_size", 1);
  const std::int64_t s = stride.empty() ? k : single(stride, op, "stride", 1), p = single(padding, op, "padding", 0);
  check_pool_padding(op, k, p);
  return without_height(avg_pool2d(with_height(x, op, k, p), {1, k}, {1, s}, {0, p}, ceil_mode, count_include_pad), x);
}

}  // namespace tg
