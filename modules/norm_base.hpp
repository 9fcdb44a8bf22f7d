// What BatchNorm and InstanceNorm share, as LibTorch's NormImplBase: a per-channel weight and bias
// (with affine) and running statistics with their batch count (with track_running_stats), registered
// in LibTorch's order and initialised as LibTorch does.
#pragma once

#include <cstddef>

#include <tapegrad/modules/module.hpp>

namespace tg::nn {

class NormBase : public Module {
 public:
  // weight 1, bias 0 (LibTorch's init), then reset_running_stats().
  void reset_parameters();
  // running_mean 0, running_var 1, num_batches_tracked 0.
  void reset_running_stats();

  Tensor weight, bias;               // (num_features,); undefined without affine
  Tensor running_mean, running_var;  // (num_features,); undefined without track_running_stats
  Tensor num_batches_tracked;        // a 0-d Long (int64), as LibTorch's; undefined without track_running_stats

 protected:
  NormBase(std::size_t num_features, bool affine, bool track_running_stats);
};

}  // namespace tg::nn
