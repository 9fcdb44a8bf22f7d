#include <tapegrad/ops/instance_norm.hpp>

#include <string>

#include <tapegrad/core/grad_mode.hpp>
#include <tapegrad/ops/group_norm.hpp>
#include <tapegrad/ops/tensor_ops.hpp>

namespace tg::nn::functional {

Tensor instance_norm(const Tensor& x, const InstanceNormFuncOptions& options) {
  const Tensor& rm = options.running_mean();
  const Tensor& rv = options.running_var();
  if (x.dim() < 2)
    throw Error("instance_norm: expected an input (N, C, *) of at least 2 dims, got " + shape_str(x.shape()));
  const std::int64_t N = x.size(0), C = x.size(1);
  for (const Tensor* r : {&rm, &rv})
    if (r->defined() && r->shape() != Shape{std::size_t(C)})
      throw Error(std::string("instance_norm: expected ") + (r == &rm ? "running_mean" : "running_var") +
                  " of shape (" + std::to_string(C) + ",) for input shape " + shape_str(x.shape()) + ", got " +
                  shape_str(r->shape()));
    else if (r->defined() && r->scalar_type() != x.scalar_type())
      throw Error(std::string("instance_norm: expected ") + (r == &rm ? "running_mean" : "running_var") + " of dtype " +
                  to_string(x.scalar_type()) + " as the input's, got " + to_string(r->scalar_type()));
  if (!options.use_input_stats()) {
    if (!rm.defined() || !rv.defined())
      throw Error("instance_norm: expected running_mean and running_var to be defined when use_input_stats is false");
    return batch_norm(x, options.weight(), options.bias(), rm, rv, /*training=*/false, options.momentum(), options.eps());
  }
  const std::int64_t positions = N * C > 0 ? x.numel() / (N * C) : 0;
  // One position has no variance to normalise by (and no unbiased one to track).
  if (positions <= 1)
    throw Error("instance_norm: expected more than 1 spatial element when using input statistics, got input shape " +
                shape_str(x.shape()));
  Tensor y;
  try {
    y = group_norm(x, GroupNormFuncOptions(C).weight(options.weight()).bias(options.bias()).eps(options.eps()));
  } catch (const Error& e) {
    throw Error(std::string("instance_norm: ") + e.what());  // the op the user called, then the part that refused
  }
  if (rm.defined() || rv.defined()) {
    NoGradGuard no_grad;
    const Tensor rows = reshape(x.detach(), {N, C, positions});
    const double m = options.momentum();
    Tensor mean_out = rm, var_out = rv;  // handles on the caller's storage, updated in place
    if (rm.defined()) mean_out.copy_(add(mul(rm, 1 - m), mul(mean(mean(rows, {2}), {0}), m)));
    if (rv.defined()) var_out.copy_(add(mul(rv, 1 - m), mul(mean(var(rows, {2}, /*unbiased=*/true), {0}), m)));
  }
  return y;
}

}  // namespace tg::nn::functional
