#include <tapegrad/modules/distance.hpp>

#include <ostream>

namespace tg::nn {

Tensor CosineSimilarityImpl::forward(const Tensor& x1, const Tensor& x2) {
  return functional::cosine_similarity(x1, x2, options_);
}

void CosineSimilarityImpl::pretty_print(std::ostream& stream) const {
  stream << "CosineSimilarity(dim=" << options_.dim() << ", eps=" << options_.eps() << ")";
}

Tensor PairwiseDistanceImpl::forward(const Tensor& x1, const Tensor& x2) {
  return functional::pairwise_distance(x1, x2, options_);
}

void PairwiseDistanceImpl::pretty_print(std::ostream& stream) const {
  stream << "PairwiseDistance(p=" << options_.p() << ", eps=" << options_.eps()
         << ", keepdim=" << (options_.keepdim() ? "true" : "false") << ")";
}

}  // namespace tg::nn
