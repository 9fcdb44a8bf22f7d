// F::normalize, as LibTorch's torch::nn::functional::normalize: x divided by its p-norm along `dim`,
// the norm held at least eps so that a zero vector stays zero:
//
//   F::normalize(x, F::NormalizeFuncOptions().p(2).dim(1).eps(1e-12));   // LibTorch's defaults
//
// A composite of norm, clamp_min and div (for floating tensors). Not data/normalize.hpp's transform
// (subtract a mean, divide by a standard deviation).
#pragma once

#include <cstdint>

#include <tapegrad/core/tensor.hpp>

namespace tg::nn::functional {

struct NormalizeFuncOptions {
  NormalizeFuncOptions& p(double p) { return p_ = p, *this; }
  NormalizeFuncOptions& dim(std::int64_t dim) { return dim_ = dim, *this; }
  NormalizeFuncOptions& eps(double eps) { return eps_ = eps, *this; }
  double p() const { return p_; }
  std::int64_t dim() const { return dim_; }
  double eps() const { return eps_; }

 private:
  double p_ = 2.0;
  std::int64_t dim_ = 1;
  double eps_ = 1e-12;
};

Tensor normalize(const Tensor& input, const NormalizeFuncOptions& options = {});

}  // namespace tg::nn::functional
