#include <tapegrad/modules/batch_norm.hpp>

#include <ostream>
#include <string>

namespace tg::nn {

BatchNormBase::BatchNormBase(const BatchNormOptions& options, int dims)
    : NormBase(options.num_features(), options.affine(), options.track_running_stats()), options_(options), dims_(dims) {}

Tensor BatchNormBase::forward(const Tensor& x) {
  check_input(x);
  // LibTorch's rule: a tracked batch counts, and with momentum None it weighs 1/count.
  double factor = options_.momentum().value_or(0.0);
  if (is_training() && options_.track_running_stats()) {
    num_batches_tracked += 1;
    if (!options_.momentum()) factor = 1.0 / num_batches_tracked.item<double>();
  }
  return tg::batch_norm(x, weight, bias, running_mean, running_var,
                        is_training() || !options_.track_running_stats(), factor, options_.eps());
}

void BatchNormBase::pretty_print(std::ostream& stream) const {
  stream << "BatchNorm" << dims_ << "d(" << options_.num_features() << ", eps=" << options_.eps() << ", momentum=";
  if (options_.momentum())
    stream << *options_.momentum();
  else
    stream << "None";
  stream << ", affine=" << (options_.affine() ? "true" : "false")
         << ", track_running_stats=" << (options_.track_running_stats() ? "true" : "false") << ")";
}

void BatchNorm1dImpl::check_input(const Tensor& x) const {
  if (x.dim() != 2 && x.dim() != 3)
    throw Error("BatchNorm1d: expected 2D or 3D input (got " + std::to_string(x.dim()) + "D input " +
                shape_str(x.shape()) + ")");
}

void BatchNorm2dImpl::check_input(const Tensor& x) const {
  if (x.dim() != 4)
    throw Error("BatchNorm2d: expected 4D input (got " + std::to_string(x.dim()) + "D input " + shape_str(x.shape()) + ")");
}

}  // namespace tg::nn
