// tg::nn::CosineSimilarity and tg::nn::PairwiseDistance: F::cosine_similarity and F::pairwise_distance
// as modules, as LibTorch's (their options are the functions' options). Their forward takes two
// inputs, so they are not chained by Sequential.
//
//   tg::nn::CosineSimilarity cos(tg::nn::CosineSimilarityOptions().dim(1).eps(1e-8));
//   tg::nn::PairwiseDistance dist(tg::nn::PairwiseDistanceOptions().p(1));
#pragma once

#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/module_holder.hpp>
#include <tapegrad/ops/distance.hpp>

namespace tg::nn {

using CosineSimilarityOptions = functional::CosineSimilarityFuncOptions;
using PairwiseDistanceOptions = functional::PairwiseDistanceFuncOptions;

class CosineSimilarityImpl : public Module {
 public:
  explicit CosineSimilarityImpl(const CosineSimilarityOptions& options = {}) : options_(options) {}
  Tensor forward(const Tensor& x1, const Tensor& x2);
  void pretty_print(std::ostream& stream) const override;
  const CosineSimilarityOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<CosineSimilarityImpl>(options_); }

 private:
  CosineSimilarityOptions options_;
};
TG_MODULE(CosineSimilarity);

class PairwiseDistanceImpl : public Module {
 public:
  explicit PairwiseDistanceImpl(const PairwiseDistanceOptions& options = {}) : options_(options) {}
  Tensor forward(const Tensor& x1, const Tensor& x2);
  void pretty_print(std::ostream& stream) const override;
  const PairwiseDistanceOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<PairwiseDistanceImpl>(options_); }

 private:
  PairwiseDistanceOptions options_;
};
TG_MODULE(PairwiseDistance);

}  // namespace tg::nn
