#include <tapegrad/modules/data_parallel.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include <xtensor/xbuilder.hpp>

#include <tapegrad/core/tape.hpp>
#include <tapegrad/core/thread_pool.hpp>
#include <tapegrad/core/threads.hpp>

namespace tg::nn {
namespace {

// A 0-d Double tensor: a backward seed (converted to the loss's dtype by backward).
Tensor seed(double value) { return Tensor(Array<double>(xt::xarray<double>(value))); }

}  // namespace

double data_parallel_backward(Module& model, const Tensor& x, const Tensor& y, const SliceLoss& loss, float scale) {
  if (x.dim() == 0 || y.dim() != 1 || x.size(0) != y.size(0))
    throw Error("data_parallel_backward: expected x of shape (B, ...) and y of shape (B,), got x " +
                shape_str(x.shape()) + " and y " + shape_str(y.shape()));
  const std::size_t batch = static_cast<std::size_t>(x.size(0));
  const std::size_t slices = std::min<std::size_t>(static_cast<std::size_t>(get_pool_threads()), batch);
  if (slices <= 1) {
    Tensor l = loss(model.forward(x), y);
    if (scale == 1.0f) l.backward();
    else l.backward(seed(scale));
    return l.item<double>();
  }
  std::vector<double> losses(slices);
  parallel_for(slices, [&](std::size_t i) {
    const std::size_t begin = batch * i / slices, end = batch * (i + 1) / slices;
    const auto b = static_cast<std::int64_t>(begin), n = static_cast<std::int64_t>(end - begin);
    Tensor l = loss(model.forward(x.narrow(0, b, n)), y.narrow(0, b, n));
    if (l.numel() != 1)
      throw Error("data_parallel_backward: the loss must be a scalar (a mean over the slice), got shape " +
                  shape_str(l.shape()));
    // In double: a Double model's slice weights (1/3, ...) must not be rounded to float.
    const double weight = static_cast<double>(end - begin) / static_cast<double>(batch);
    l.backward(seed(weight * scale));
    losses[i] = l.item<double>() * weight;
  });
  double total = 0;
  for (double v : losses) total += v;
  return total;
}

}  // namespace tg::nn
