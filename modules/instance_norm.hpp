// tg::nn::InstanceNorm1d, InstanceNorm2d, InstanceNorm3d: instance normalisation (F::instance_norm), optionally with a
// learnt per-channel scale and shift and running statistics for evaluation, as LibTorch's (options,
// defaults: affine and track_running_stats off, buffers, printing). An input without its batch dim
// ((C, L) for 1d, (C, H, W) for 2d, (C, D, H, W) for 3d) is taken as a batch of one.
//
//   tg::nn::InstanceNorm2d norm(tg::nn::InstanceNorm2dOptions(16).affine(true).track_running_stats(true));
#pragma once

#include <cstddef>

#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/module_holder.hpp>
#include <tapegrad/modules/norm_base.hpp>
#include <tapegrad/ops/tensor_ops.hpp>

namespace tg::nn {

class InstanceNormOptions {
 public:
  InstanceNormOptions(std::size_t num_features) : num_features_(num_features) {}  // NOLINT: implicit, as LibTorch's

  InstanceNormOptions& num_features(std::size_t n) { return num_features_ = n, *this; }
  InstanceNormOptions& eps(double eps) { return eps_ = eps, *this; }
  // The weight of a new batch in the running statistics.
  InstanceNormOptions& momentum(double momentum) { return momentum_ = momentum, *this; }
  InstanceNormOptions& affine(bool affine) { return affine_ = affine, *this; }
  InstanceNormOptions& track_running_stats(bool track) { return track_running_stats_ = track, *this; }

  std::size_t num_features() const { return num_features_; }
  double eps() const { return eps_; }
  double momentum() const { return momentum_; }
  bool affine() const { return affine_; }
  bool track_running_stats() const { return track_running_stats_; }

 private:
  std::size_t num_features_;
  double eps_ = 1e-5;
  double momentum_ = 0.1;
  bool affine_ = false;
  bool track_running_stats_ = false;
};
using InstanceNorm1dOptions = InstanceNormOptions;
using InstanceNorm2dOptions = InstanceNormOptions;
using InstanceNorm3dOptions = InstanceNormOptions;

// What InstanceNorm1d, 2d and 3d share; they differ only in the input ranks they accept.
class InstanceNormBase : public NormBase {
 public:
  // Each sample's own statistics in training or when the running ones are not tracked (updating the
  // tracked ones in training; num_batches_tracked is never counted up, as LibTorch's); the running
  // statistics in evaluation.
  Tensor forward(const Tensor& x);
  void pretty_print(std::ostream& stream) const override;
  const InstanceNormOptions& options() const { return options_; }

 protected:
  InstanceNormBase(const InstanceNormOptions& options, int dims);

 private:
  InstanceNormOptions options_;
  int dims_;
};

// Over (N, C, L) inputs, or (C, L).
class InstanceNorm1dImpl : public InstanceNormBase {
 public:
  explicit InstanceNorm1dImpl(const InstanceNorm1dOptions& options) : InstanceNormBase(options, 1) {}
  std::shared_ptr<Module> clone_structure() const override {
    return std::make_shared<InstanceNorm1dImpl>(options());
  }
};
TG_MODULE(InstanceNorm1d);

// Over (N, C, H, W) inputs, or (C, H, W).
class InstanceNorm2dImpl : public InstanceNormBase {
 public:
  explicit InstanceNorm2dImpl(const InstanceNorm2dOptions& options) : InstanceNormBase(options, 2) {}
  std::shared_ptr<Module> clone_structure() const override {
    return std::make_shared<InstanceNorm2dImpl>(options());
  }
};
TG_MODULE(InstanceNorm2d);

// Over (N, C, D, H, W) inputs, or (C, D, H, W).
class InstanceNorm3dImpl : public InstanceNormBase {
 public:
  explicit InstanceNorm3dImpl(const InstanceNorm3dOptions& options) : InstanceNormBase(options, 3) {}
  std::shared_ptr<Module> clone_structure() const override {
    return std::make_shared<InstanceNorm3dImpl>(options());
  }
};
TG_MODULE(InstanceNorm3d);

}  // namespace tg::nn
