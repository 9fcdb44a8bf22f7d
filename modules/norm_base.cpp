#include <tapegrad/modules/norm_base.hpp>

#include <cstdint>

#include <tapegrad/core/grad_mode.hpp>

namespace tg::nn {

NormBase::NormBase(std::size_t num_features, bool affine, bool track_running_stats) {
  const Shape C{num_features};
  if (affine) {
    weight = register_parameter("weight", Tensor(Array<float>::from_shape(C)));
    bias = register_parameter("bias", Tensor(Array<float>::from_shape(C)));
  }
  if (track_running_stats) {
    running_mean = register_buffer("running_mean", Tensor(Array<float>::from_shape(C)));
    running_var = register_buffer("running_var", Tensor(Array<float>::from_shape(C)));
    num_batches_tracked = register_buffer("num_batches_tracked", Tensor(Array<std::int64_t>::from_shape({})));
  }
  reset_parameters();
}

void NormBase::reset_running_stats() {
  if (!running_mean.defined()) return;
  running_mean.zero_();
  running_var.fill_(1);
  num_batches_tracked.zero_();
}

void NormBase::reset_parameters() {
  reset_running_stats();
  if (!weight.defined()) return;
  NoGradGuard no_grad;
  weight.fill_(1);
  bias.zero_();
}

}  // namespace tg::nn
