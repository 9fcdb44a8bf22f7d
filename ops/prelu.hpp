// prelu: x for x > 0, weight·x otherwise, with a learnt slope per channel (dim 1) or one for all,
// as torch::prelu.
#pragma once

#include <tapegrad/core/variable.hpp>

namespace tg {

// weight: 0-D or 1-D, of 1 element (shared) or x.size(1) elements (one per channel); anything else
// throws. The weight's gradient is summed over every position its slope applied to.
template <class T>
Variable<T> prelu(const Variable<T>& x, const Variable<T>& weight);

}  // namespace tg
