// one_hot: class indices to one-hot rows, as torch.nn.functional.one_hot. Integer in, integer out
// (torch returns int64): .to(tg::kFloat) (or xt::cast<float>) where a float tensor is wanted.
#pragma once

#include <cstdint>

#include <tapegrad/core/array.hpp>
#include <tapegrad/core/tensor.hpp>

namespace tg {

// labels of shape S with values in [0, num_classes) -> shape (S..., num_classes), 1 at each label.
// num_classes = -1 takes the largest label + 1 (an error for an empty labels tensor, as torch).
Labels one_hot(const Labels& labels, std::int64_t num_classes = -1);
// The same for a Long tensor, giving a Long tensor (F::one_hot(tensor, 10) as LibTorch's).
Tensor one_hot(const Tensor& labels, std::int64_t num_classes = -1);

}  // namespace tg
