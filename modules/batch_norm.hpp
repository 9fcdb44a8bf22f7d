// tg::nn::BatchNorm1d, BatchNorm2d: batch normalisation with learnt per-channel scale and shift and
// running statistics for evaluation, as LibTorch's (options, buffers, momentum None = cumulative
// average, printing).
//
//   tg::nn::BatchNorm2d bn(16);
//   tg::nn::BatchNorm1d plain(tg::nn::BatchNorm1dOptions(50).affine(false).momentum(std::nullopt));
#pragma once

#include <cstddef>
#include <optional>

#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/module_holder.hpp>
#include <tapegrad/modules/norm_base.hpp>
#include <tapegrad/ops/tensor_ops.hpp>

namespace tg::nn {

class BatchNormOptions {
 public:
  BatchNormOptions(std::size_t num_features) : num_features_(num_features) {}  // NOLINT: implicit, as LibTorch's

  BatchNormOptions& num_features(std::size_t n) { return num_features_ = n, *this; }
  BatchNormOptions& eps(double eps) { return eps_ = eps, *this; }
  // The weight of a new batch in the running statistics; std::nullopt: their plain average over all
  // batches so far (1 / num_batches_tracked).
  BatchNormOptions& momentum(std::optional<double> momentum) { return momentum_ = momentum, *this; }
  BatchNormOptions& affine(bool affine) { return affine_ = affine, *this; }
  BatchNormOptions& track_running_stats(bool track) { return track_running_stats_ = track, *this; }

  std::size_t num_features() const { return num_features_; }
  double eps() const { return eps_; }
  std::optional<double> momentum() const { return momentum_; }
  bool affine() const { return affine_; }
  bool track_running_stats() const { return track_running_stats_; }

 private:
  std::size_t num_features_;
  double eps_ = 1e-5;
  std::optional<double> momentum_ = 0.1;
  bool affine_ = true;
  bool track_running_stats_ = true;
};
using BatchNorm1dOptions = BatchNormOptions;
using BatchNorm2dOptions = BatchNormOptions;

// What BatchNorm1d and BatchNorm2d share; they differ only in the input ranks they accept.
class BatchNormBase : public NormBase {
 public:
  // Training: normalises with the batch's statistics and updates the running ones (when tracked),
  // counting the batch in num_batches_tracked. Evaluation: normalises with the running statistics
  // (the batch's when they are not tracked).
  Tensor forward(const Tensor& x);
  void pretty_print(std::ostream& stream) const override;
  const BatchNormOptions& options() const { return options_; }

 protected:
  BatchNormBase(const BatchNormOptions& options, int dims);
  virtual void check_input(const Tensor& x) const = 0;

 private:
  BatchNormOptions options_;
  int dims_;
};

// Over (N, C) or (N, C, L) inputs.
class BatchNorm1dImpl : public BatchNormBase {
 public:
  explicit BatchNorm1dImpl(const BatchNorm1dOptions& options) : BatchNormBase(options, 1) {}
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<BatchNorm1dImpl>(options()); }

 private:
  void check_input(const Tensor& x) const override;
};
TG_MODULE(BatchNorm1d);

// Over (N, C, H, W) inputs.
class BatchNorm2dImpl : public BatchNormBase {
 public:
  explicit BatchNorm2dImpl(const BatchNorm2dOptions& options) : BatchNormBase(options, 2) {}
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<BatchNorm2dImpl>(options()); }

 private:
  void check_input(const Tensor& x) const override;
};
TG_MODULE(BatchNorm2d);

}  // namespace tg::nn
