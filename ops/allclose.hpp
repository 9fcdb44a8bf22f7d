// allclose: whether two tensors agree elementwise within tolerances, as torch.allclose.
#pragma once

#include <tapegrad/core/variable.hpp>

namespace tg {

// True when |a - b| <= atol + rtol * |b| at every element of the broadcast shape (so it is not
// symmetric in a and b, as torch's). Equal infinities are close; NaN is close to NaN only with
// equal_nan. Throws when the shapes do not broadcast or a tolerance is negative.
template <class T>
bool allclose(const Variable<T>& a, const Variable<T>& b, double rtol = 1e-5, double atol = 1e-8,
              bool equal_nan = false);

}  // namespace tg
