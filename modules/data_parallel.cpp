#include <tapegrad/modules/data_parallel.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include <tapegrad/core/tape.hpp>
#include <tapegrad/core/thread_pool.hpp>
#include <tapegrad/core/threads.hpp>

namespace tg::nn {
namespace {

// Rows [begin, end) of a row-major array along dim 0, copied.
template <class A>
A rows(const A& a, std::size_t begin, std::size_t end) {
  auto shape = a.shape();
  const std::size_t row = a.shape()[0] ? a.size() / a.shape()[0] : 0;
  std::vector<std::size_t> s(shape.begin(), shape.end());
  s[0] = end - begin;
  A out = A::from_shape(s);
  std::copy_n(a.data() + begin * row, (end - begin) * row, out.data());
  return out;
}

}  // namespace

double data_parallel_backward(Module& model, const Variable<float>& x, const Labels& y, const SliceLoss& loss,
                              float scale) {
  if (x.dim() == 0 || y.dimension() != 1 || x.shape()[0] != y.shape()[0])
    throw Error("data_parallel_backward: expected x of shape (B, ...) and y of shape (B,), got x " +
                shape_str(x.shape()) + " and y " + shape_str(y.shape()));
  const std::size_t batch = x.shape()[0];
  const std::size_t slices = std::min<std::size_t>(static_cast<std::size_t>(get_pool_threads()), batch);
  if (slices <= 1) {
    Variable<float> l = loss(model.forward(x), y);
    if (scale == 1.0f) l.backward();
    else l.backward(Array<float>(xt::xarray<float>(scale)));
    return l.item();
  }
  std::vector<double> losses(slices);
  parallel_for(slices, [&](std::size_t i) {
    const std::size_t begin = batch * i / slices, end = batch * (i + 1) / slices;
    const Variable<float> xs(rows(x.value(), begin, end));
    Variable<float> l = loss(model.forward(xs), rows(y, begin, end));
    if (l.numel() != 1)
      throw Error("data_parallel_backward: the loss must be a scalar (a mean over the slice), got shape " +
                  shape_str(l.shape()));
    const float weight = static_cast<float>(end - begin) / static_cast<float>(batch);
    l.backward(Array<float>(xt::xarray<float>(weight * scale)));
    losses[i] = double(l.item()) * weight;
  });
  double total = 0;
  for (double v : losses) total += v;
  return total;
}

}  // namespace tg::nn
