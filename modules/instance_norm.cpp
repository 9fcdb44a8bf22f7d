#include <tapegrad/modules/instance_norm.hpp>

#include <cstdint>
#include <ostream>
#include <string>

#include <tapegrad/ops/instance_norm.hpp>

namespace tg::nn {

InstanceNormBase::InstanceNormBase(const InstanceNormOptions& options, int dims)
    : NormBase(options.num_features(), options.affine(), options.track_running_stats()), options_(options), dims_(dims) {}

Tensor InstanceNormBase::forward(const Tensor& x) {
  const std::int64_t batched = dims_ + 2;
  if (x.dim() != batched && x.dim() != batched - 1)
    throw Error("InstanceNorm" + std::to_string(dims_) + "d: expected " + std::to_string(batched - 1) + "D or " +
                std::to_string(batched) + "D input (got " + std::to_string(x.dim()) + "D input " + shape_str(x.shape()) +
                ")");
  const functional::InstanceNormFuncOptions o = functional::InstanceNormFuncOptions()
                                                    .running_mean(running_mean)
                                                    .running_var(running_var)
                                                    .weight(weight)
                                                    .bias(bias)
                                                    .use_input_stats(is_training() || !options_.track_running_stats())
                                                    .momentum(options_.momentum())
                                                    .eps(options_.eps());
  if (x.dim() == batched) return functional::instance_norm(x, o);
  return squeeze(functional::instance_norm(unsqueeze(x, 0), o), 0);
}

void InstanceNormBase::pretty_print(std::ostream& stream) const {
  stream << "InstanceNorm" << dims_ << "d(" << options_.num_features() << ", eps=" << options_.eps()
         << ", momentum=" << options_.momentum() << ", affine=" << (options_.affine() ? "true" : "false")
         << ", track_running_stats=" << (options_.track_running_stats() ? "true" : "false") << ")";
}

}  // namespace tg::nn
