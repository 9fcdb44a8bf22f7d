#include <tapegrad/ops/group_norm.hpp>

#include <string>
#include <vector>

#include <tapegrad/ops/tensor_ops.hpp>

namespace tg::nn::functional {

Tensor group_norm(const Tensor& x, const GroupNormFuncOptions& options) {
  const std::int64_t G = options.num_groups();
  if (x.dim() < 2)
    throw Error("group_norm: expected an input (N, C, *) of at least 2 dims, got " + shape_str(x.shape()));
  const std::int64_t N = x.size(0), C = x.size(1);
  if (G <= 0 || C % G != 0)
    throw Error("group_norm: expected the channels of the input to be divisible by num_groups, got input shape " +
                shape_str(x.shape()) + " and num_groups=" + std::to_string(G));
  for (const Tensor* p : {&options.weight(), &options.bias()})
    if (p->defined() && p->shape() != Shape{std::size_t(C)})
      throw Error(std::string("group_norm: expected ") + (p == &options.weight() ? "weight" : "bias") + " of shape (" +
                  std::to_string(C) + ",) for input shape " + shape_str(x.shape()) + ", got " + shape_str(p->shape()));
  const std::int64_t group_size = N > 0 ? x.numel() / (N * G) : 0;
  Tensor y = reshape(layer_norm(reshape(x, {N, G, group_size}), {group_size}, {}, {}, options.eps()), x.sizes());
  // weight and bias as (1, C, 1, ...) so that they broadcast over the positions.
  std::vector<std::int64_t> per_channel(x.dim(), 1);
  per_channel[1] = C;
  if (options.weight().defined()) y = mul(y, reshape(options.weight(), per_channel));
  if (options.bias().defined()) y = add(y, reshape(options.bias(), per_channel));
  return y;
}

}  // namespace tg::nn::functional
