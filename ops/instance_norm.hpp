// F::instance_norm, as LibTorch's: each channel of each sample normalised over its own positions,
// then a per-channel scale and shift:
//
//   F::instance_norm(x, F::InstanceNormFuncOptions().running_mean(rm).running_var(rv)
//                           .weight(w).bias(b).use_input_stats(true).momentum(0.1).eps(1e-5));
//
// use_input_stats (the default): the sample's own statistics, which is group_norm with one group per
// channel; running_mean and running_var (C,), when defined, are then updated in place with the
// statistics averaged over the batch (the unbiased variance), as LibTorch. Otherwise the running
// statistics normalise every sample alike, which is batch_norm in evaluation.
#pragma once

#include <tapegrad/core/tensor.hpp>

namespace tg::nn::functional {

struct InstanceNormFuncOptions {
  InstanceNormFuncOptions& running_mean(Tensor t) { return running_mean_ = std::move(t), *this; }
  InstanceNormFuncOptions& running_var(Tensor t) { return running_var_ = std::move(t), *this; }
  InstanceNormFuncOptions& weight(Tensor t) { return weight_ = std::move(t), *this; }
  InstanceNormFuncOptions& bias(Tensor t) { return bias_ = std::move(t), *this; }
  InstanceNormFuncOptions& use_input_stats(bool use) { return use_input_stats_ = use, *this; }
  InstanceNormFuncOptions& momentum(double momentum) { return momentum_ = momentum, *this; }
  InstanceNormFuncOptions& eps(double eps) { return eps_ = eps, *this; }
  const Tensor& running_mean() const { return running_mean_; }
  const Tensor& running_var() const { return running_var_; }
  const Tensor& weight() const { return weight_; }
  const Tensor& bias() const { return bias_; }
  bool use_input_stats() const { return use_input_stats_; }
  double momentum() const { return momentum_; }
  double eps() const { return eps_; }

 private:
  Tensor running_mean_, running_var_, weight_, bias_;  // (C,), or undefined for none
  bool use_input_stats_ = true;
  double momentum_ = 0.1;
  double eps_ = 1e-5;
};

// x (N, C, *) -> x's shape. Float or Double; the running statistics must have x's dtype.
Tensor instance_norm(const Tensor& x, const InstanceNormFuncOptions& options = {});

}  // namespace tg::nn::functional
