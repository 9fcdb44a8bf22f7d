#include <tapegrad/ops/allclose.hpp>

#include <cmath>

#include <xtensor/xbroadcast.hpp>

namespace tg {

template <class T>
bool allclose(const Variable<T>& a, const Variable<T>& b, double rtol, double atol, bool equal_nan) {
  if (rtol < 0 || atol < 0)
    throw Error("allclose: expected rtol >= 0 and atol >= 0, got rtol " + std::to_string(rtol) + " and atol " +
                std::to_string(atol));
  const Shape shape = broadcast_shapes(a.shape(), b.shape(), "allclose");
  const auto av = xt::broadcast(a.value(), shape);
  const auto bv = xt::broadcast(b.value(), shape);
  auto close = [&](double x, double y) {
    if (x == y) return true;  // equal infinities included
    if (std::isnan(x) || std::isnan(y)) return equal_nan && std::isnan(x) && std::isnan(y);
    if (!std::isfinite(x) || !std::isfinite(y)) return false;
    return std::abs(x - y) <= atol + rtol * std::abs(y);
  };
  for (auto ia = av.begin(), ib = bv.begin(); ia != av.end(); ++ia, ++ib)
    if (!close(*ia, *ib)) return false;
  return true;
}

template bool allclose(const Variable<float>&, const Variable<float>&, double, double, bool);
template bool allclose(const Variable<double>&, const Variable<double>&, double, double, bool);

}  // namespace tg
