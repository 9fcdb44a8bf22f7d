// The gated linear unit, torch::glu: x split in two halves along dim, the first gated by the sigmoid
// of the second, a·sigmoid(b). Composed of narrow, sigmoid and mul, whose backwards give its gradient.
#pragma once

#include <cstddef>

#include <tapegrad/core/variable.hpp>

namespace tg {

// dim's size must be even (a 0-D x throws too); the result has half of it.
template <class T> Variable<T> glu(const Variable<T>& x, std::ptrdiff_t dim = -1);

}  // namespace tg
