// Drawing from distributions a tensor describes, as LibTorch's, from this thread's generator
// (core/random.hpp: tg::manual_seed repeats the draws, though not LibTorch's own numbers):
//
//   tg::bernoulli(probs)              // 1 with probability probs[i], else 0; probs' floating dtype
//   tg::bernoulli(x, 0.3)             // x's shape and dtype, each 1 with probability 0.3
//   tg::multinomial(weights, 5, true) // 5 category indices (Long) drawn by weight, per row of a 2-D weights
//
// Not differentiable: the results do not require grad.
#pragma once

#include <cstdint>

#include <tapegrad/core/tensor.hpp>

namespace tg {

Tensor bernoulli(const Tensor& probs);
Tensor bernoulli(const Tensor& x, double p);
// weights: 1-D (categories) or 2-D (rows of categories), nonnegative, finite, each row with a positive
// sum. Without replacement a row gives each category at most once, so num_samples is at most the
// number of categories with a nonzero weight.
Tensor multinomial(const Tensor& weights, std::int64_t num_samples, bool replacement = false);

}  // namespace tg
