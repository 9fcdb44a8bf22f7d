// Loss modules, as LibTorch's: CrossEntropyLoss and MSELoss, wrapping tg::cross_entropy and
// tg::mse_loss. Their forward takes a target too, so they are not chained by Sequential.
//
//   tg::nn::CrossEntropyLoss criterion;
//   auto loss = criterion.forward(net->forward(images), labels);   // mean over the batch
#pragma once

#include <tapegrad/modules/module.hpp>
#include <tapegrad/ops/loss.hpp>

namespace tg::nn {

// log_softmax over classes and negative log-likelihood in one stable op: logits (N, C), target (N,)
// class indices in [0, C).
class CrossEntropyLoss : public Module {
 public:
  explicit CrossEntropyLoss(Reduction reduction = Reduction::Mean) : reduction_(reduction) {}
  Variable<float> forward(const Variable<float>& logits, const Labels& target);
  void pretty_print(std::ostream& stream) const override;

  Reduction reduction() const { return reduction_; }

 private:
  Reduction reduction_;
};

// (input - target)², elementwise, reduced; input and target have the same shape.
class MSELoss : public Module {
 public:
  explicit MSELoss(Reduction reduction = Reduction::Mean) : reduction_(reduction) {}
  Variable<float> forward(const Variable<float>& input, const Variable<float>& target);
  void pretty_print(std::ostream& stream) const override;

  Reduction reduction() const { return reduction_; }

 private:
  Reduction reduction_;
};

}  // namespace tg::nn
