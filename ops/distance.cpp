#include <tapegrad/ops/distance.hpp>

#include <algorithm>
#include <string>

#include <tapegrad/ops/tensor_ops.hpp>

namespace tg::nn::functional {

Tensor cosine_similarity(const Tensor& x1, const Tensor& x2, const CosineSimilarityFuncOptions& options) {
  const char* op = "cosine_similarity";
  const Shape common = broadcast_shapes(x1.shape(), x2.shape(), op);
  const std::int64_t rank = std::int64_t(common.size());
  const std::int64_t dim = options.dim();
  if (dim < -rank || dim >= rank || rank == 0)
    throw Error(std::string(op) + ": dim " + std::to_string(dim) + " is out of range for inputs of shapes " +
                shape_str(x1.shape()) + " and " + shape_str(x2.shape()) + " (broadcast to " + shape_str(common) + ")");
  // The norms are taken after broadcasting: a vector of x1 may meet many of x2.
  const auto unit = [&](const Tensor& x) {
    const Tensor e = expand(x, common);
    return div(e, clamp_min(norm(e, 2, {dim}, /*keepdim=*/true), options.eps()));
  };
  return sum(mul(unit(x1), unit(x2)), {dim});
}

Tensor pairwise_distance(const Tensor& x1, const Tensor& x2, const PairwiseDistanceFuncOptions& options) {
  const std::int64_t last = std::max(x1.dim(), x2.dim()) - 1;
  if (last < 0)
    throw Error("pairwise_distance: expected inputs of at least 1 dim, got shapes " + shape_str(x1.shape()) + " and " +
                shape_str(x2.shape()));
  try {
    return norm(add(sub(x1, x2), options.eps()), options.p(), {last}, options.keepdim());
  } catch (const Error& e) {
    throw Error(std::string("pairwise_distance: ") + e.what());  // the op the user called, then the part that refused
  }
}

}  // namespace tg::nn::functional
