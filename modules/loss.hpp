// Loss modules, as LibTorch's, built from the options in ops/loss_options.hpp and wrapping the
// functions of ops/loss.hpp. Their forward takes a target too, so they are not chained by Sequential.
// A weight (and pos_weight) given in the options is registered as a buffer, as LibTorch does.
//
//   tg::nn::CrossEntropyLoss criterion(tg::nn::CrossEntropyLossOptions().label_smoothing(0.1));
//   auto loss = criterion.forward(net->forward(images), labels);   // mean over the batch
#pragma once

#include <tapegrad/modules/module.hpp>
#include <tapegrad/ops/loss.hpp>
#include <tapegrad/ops/loss_options.hpp>

namespace tg::nn {

// Negative log-likelihood of log-probabilities (N, C) (or (N, C, d1, ...)) at class targets (N,).
class NLLLoss : public Module {
 public:
  explicit NLLLoss(NLLLossOptions options = {});
  Variable<float> forward(const Variable<float>& log_probs, const Labels& target);
  void pretty_print(std::ostream& stream) const override;
  const NLLLossOptions& options() const { return options_; }

 private:
  NLLLossOptions options_;
  Variable<float> weight_;
};

// log_softmax over classes and negative log-likelihood in one stable op: logits (N, C), target (N,)
// class indices in [0, C).
class CrossEntropyLoss : public Module {
 public:
  explicit CrossEntropyLoss(CrossEntropyLossOptions options = {});
  Variable<float> forward(const Variable<float>& logits, const Labels& target);
  void pretty_print(std::ostream& stream) const override;
  const CrossEntropyLossOptions& options() const { return options_; }

 private:
  CrossEntropyLossOptions options_;
  Variable<float> weight_;
};

// Binary cross-entropy of probabilities in [0, 1] against targets of the same shape.
class BCELoss : public Module {
 public:
  explicit BCELoss(BCELossOptions options = {});
  Variable<float> forward(const Variable<float>& input, const Variable<float>& target);
  void pretty_print(std::ostream& stream) const override;
  const BCELossOptions& options() const { return options_; }

 private:
  BCELossOptions options_;
  Variable<float> weight_;
};

// Binary cross-entropy of logits (sigmoid folded in, stable at any scale), with pos_weight.
class BCEWithLogitsLoss : public Module {
 public:
  explicit BCEWithLogitsLoss(BCEWithLogitsLossOptions options = {});
  Variable<float> forward(const Variable<float>& input, const Variable<float>& target);
  void pretty_print(std::ostream& stream) const override;
  const BCEWithLogitsLossOptions& options() const { return options_; }

 private:
  BCEWithLogitsLossOptions options_;
  Variable<float> weight_, pos_weight_;
};

// The elementwise regression losses: (input - target) through a fixed function, reduced.
class L1Loss : public Module {
 public:
  explicit L1Loss(L1LossOptions options = {}) : options_(options) {}
  Variable<float> forward(const Variable<float>& input, const Variable<float>& target);
  void pretty_print(std::ostream& stream) const override;
  const L1LossOptions& options() const { return options_; }

 private:
  L1LossOptions options_;
};

class MSELoss : public Module {
 public:
  explicit MSELoss(MSELossOptions options = {}) : options_(options) {}
  Variable<float> forward(const Variable<float>& input, const Variable<float>& target);
  void pretty_print(std::ostream& stream) const override;
  const MSELossOptions& options() const { return options_; }

 private:
  MSELossOptions options_;
};

class SmoothL1Loss : public Module {
 public:
  explicit SmoothL1Loss(SmoothL1LossOptions options = {}) : options_(options) {}
  Variable<float> forward(const Variable<float>& input, const Variable<float>& target);
  void pretty_print(std::ostream& stream) const override;
  const SmoothL1LossOptions& options() const { return options_; }

 private:
  SmoothL1LossOptions options_;
};

class HuberLoss : public Module {
 public:
  explicit HuberLoss(HuberLossOptions options = {}) : options_(options) {}
  Variable<float> forward(const Variable<float>& input, const Variable<float>& target);
  void pretty_print(std::ostream& stream) const override;
  const HuberLossOptions& options() const { return options_; }

 private:
  HuberLossOptions options_;
};

}  // namespace tg::nn
