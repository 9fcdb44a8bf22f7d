// F::cosine_similarity and F::pairwise_distance, as LibTorch 1.13's:
//
//   F::cosine_similarity(x1, x2, F::CosineSimilarityFuncOptions().dim(1).eps(1e-8));   // LibTorch's defaults
//   F::pairwise_distance(x1, x2, F::PairwiseDistanceFuncOptions().p(2).eps(1e-6).keepdim(false));
//
// Composites of norm, clamp_min, div, mul and sum, so they need no backward of their own.
#pragma once

#include <cstdint>

#include <tapegrad/core/tensor.hpp>

namespace tg::nn::functional {

struct CosineSimilarityFuncOptions {
  CosineSimilarityFuncOptions& dim(std::int64_t dim) { return dim_ = dim, *this; }
  CosineSimilarityFuncOptions& eps(double eps) { return eps_ = eps, *this; }
  std::int64_t dim() const { return dim_; }
  double eps() const { return eps_; }

 private:
  std::int64_t dim_ = 1;
  double eps_ = 1e-8;
};

struct PairwiseDistanceFuncOptions {
  PairwiseDistanceFuncOptions& p(double p) { return p_ = p, *this; }
  PairwiseDistanceFuncOptions& eps(double eps) { return eps_ = eps, *this; }
  PairwiseDistanceFuncOptions& keepdim(bool keepdim) { return keepdim_ = keepdim, *this; }
  double p() const { return p_; }
  double eps() const { return eps_; }
  bool keepdim() const { return keepdim_; }

 private:
  double p_ = 2.0;
  double eps_ = 1e-6;
  bool keepdim_ = false;
};

// x1 and x2 broadcast to one shape; then, along dim, sum((x1 / max(|x1|, eps)) * (x2 / max(|x2|, eps)))
// with |.| the 2-norm: each vector is normalised first and each norm held at least eps, as 1.13 does
// (not the older sum(x1 * x2) / sqrt(max(|x1|^2 |x2|^2, eps^2))). dim drops out of the result.
Tensor cosine_similarity(const Tensor& x1, const Tensor& x2, const CosineSimilarityFuncOptions& options = {});

// The p-norm of x1 - x2 + eps along the last dim of the broadcast shape (eps keeps the norm
// differentiable where x1 == x2).
Tensor pairwise_distance(const Tensor& x1, const Tensor& x2, const PairwiseDistanceFuncOptions& options = {});

}  // namespace tg::nn::functional
