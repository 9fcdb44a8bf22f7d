// F::group_norm, as LibTorch's: the channels (dim 1) of each sample split into num_groups groups, each
// group normalised over its channels and positions, then a per-channel scale and shift:
//
//   F::group_norm(x, F::GroupNormFuncOptions(2).weight(w).bias(b).eps(1e-5));   // LibTorch's defaults
//
// A composite of reshape, layer_norm (over each group), mul and add, so it needs no backward of its own.
#pragma once

#include <cstdint>

#include <tapegrad/core/tensor.hpp>

namespace tg::nn::functional {

struct GroupNormFuncOptions {
  GroupNormFuncOptions(std::int64_t num_groups) : num_groups_(num_groups) {}  // NOLINT: implicit, as LibTorch's
  GroupNormFuncOptions& num_groups(std::int64_t n) { return num_groups_ = n, *this; }
  GroupNormFuncOptions& weight(Tensor weight) { return weight_ = std::move(weight), *this; }
  GroupNormFuncOptions& bias(Tensor bias) { return bias_ = std::move(bias), *this; }
  GroupNormFuncOptions& eps(double eps) { return eps_ = eps, *this; }
  std::int64_t num_groups() const { return num_groups_; }
  const Tensor& weight() const { return weight_; }
  const Tensor& bias() const { return bias_; }
  double eps() const { return eps_; }

 private:
  std::int64_t num_groups_;
  Tensor weight_, bias_;  // (C,), or undefined for none
  double eps_ = 1e-5;
};

// x (N, C, *) with C divisible by num_groups -> x's shape. Float or Double.
Tensor group_norm(const Tensor& x, const GroupNormFuncOptions& options);

}  // namespace tg::nn::functional
