#include <tapegrad/ops/glu.hpp>

#include <string>

#include <tapegrad/ops/activations.hpp>
#include <tapegrad/ops/arithmetic.hpp>
#include <tapegrad/ops/shape.hpp>

namespace tg {

template <class T>
Variable<T> glu(const Variable<T>& x, std::ptrdiff_t dim) {
  if (x.dim() == 0) throw Error("glu: expected an input with at least 1 dim to halve, got a 0-D tensor");
  const std::size_t d = normalize_dim(dim, x.dim(), "glu");
  const std::size_t size = x.shape()[d];
  if (size % 2 != 0)
    throw Error("glu: the halved dim must have an even size, but dim " + std::to_string(d) + " of the input " +
                shape_str(x.shape()) + " has size " + std::to_string(size));
  const auto dd = static_cast<std::ptrdiff_t>(d), half = static_cast<std::ptrdiff_t>(size / 2);
  return narrow(x, dd, 0, half) * sigmoid(narrow(x, dd, half, half));
}

template Variable<float> glu(const Variable<float>&, std::ptrdiff_t);
template Variable<double> glu(const Variable<double>&, std::ptrdiff_t);

}  // namespace tg
