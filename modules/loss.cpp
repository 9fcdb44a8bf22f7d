#include <tapegrad/modules/loss.hpp>

#include <ostream>

namespace tg::nn {
namespace {

// PyTorch's repr: the reduction only when it is not the default, mean.
const char* reduction_suffix(Reduction reduction) {
  switch (reduction) {
    case Reduction::None: return "reduction=none";
    case Reduction::Sum: return "reduction=sum";
    case Reduction::Mean: break;
  }
  return "";
}

}  // namespace

Variable<float> CrossEntropyLoss::forward(const Variable<float>& logits, const Labels& target) {
  return tg::cross_entropy(logits, target, reduction_);
}

void CrossEntropyLoss::pretty_print(std::ostream& stream) const {
  stream << "CrossEntropyLoss(" << reduction_suffix(reduction_) << ")";
}

Variable<float> MSELoss::forward(const Variable<float>& input, const Variable<float>& target) {
  return tg::mse_loss(input, target, reduction_);
}

void MSELoss::pretty_print(std::ostream& stream) const { stream << "MSELoss(" << reduction_suffix(reduction_) << ")"; }

}  // namespace tg::nn
