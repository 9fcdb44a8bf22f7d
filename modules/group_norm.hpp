// tg::nn::GroupNorm: group normalisation (F::group_norm) with a learnt per-channel scale and shift, as
// LibTorch's.
//
//   tg::nn::GroupNorm norm(tg::nn::GroupNormOptions(/*num_groups=*/2, /*num_channels=*/6).eps(1e-5));
#pragma once

#include <cstdint>

#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/module_holder.hpp>
#include <tapegrad/ops/tensor_ops.hpp>

namespace tg::nn {

class GroupNormOptions {
 public:
  GroupNormOptions(std::int64_t num_groups, std::int64_t num_channels)
      : num_groups_(num_groups), num_channels_(num_channels) {}

  GroupNormOptions& num_groups(std::int64_t n) { return num_groups_ = n, *this; }
  GroupNormOptions& num_channels(std::int64_t n) { return num_channels_ = n, *this; }
  GroupNormOptions& eps(double eps) { return eps_ = eps, *this; }
  GroupNormOptions& affine(bool affine) { return affine_ = affine, *this; }

  std::int64_t num_groups() const { return num_groups_; }
  std::int64_t num_channels() const { return num_channels_; }
  double eps() const { return eps_; }
  bool affine() const { return affine_; }

 private:
  std::int64_t num_groups_, num_channels_;
  double eps_ = 1e-5;
  bool affine_ = true;
};

class GroupNormImpl : public Module {
 public:
  // Throws unless num_channels is a positive multiple of num_groups.
  explicit GroupNormImpl(const GroupNormOptions& options);

  // x (N, num_channels, *) -> x's shape.
  Tensor forward(const Tensor& x);
  // weight 1, bias 0, as LibTorch.
  void reset_parameters();
  void pretty_print(std::ostream& stream) const override;
  const GroupNormOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<GroupNormImpl>(options_); }

  Tensor weight, bias;  // (num_channels,); undefined without affine

 private:
  GroupNormOptions options_;
};
TG_MODULE(GroupNorm);

}  // namespace tg::nn
