// Loss modules, as LibTorch's, built from the options in ops/loss_options.hpp and wrapping the
// functions of ops/loss.hpp. Their forward takes a target too, so they are not chained by Sequential.
// A weight (and pos_weight) given in the options is registered as a buffer, as LibTorch does.
//
//   tg::nn::CrossEntropyLoss criterion(tg::nn::CrossEntropyLossOptions().label_smoothing(0.1));
//   auto loss = criterion(net->forward(images), labels);   // labels: a Long tensor; mean over the batch
#pragma once

#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/module_holder.hpp>
#include <tapegrad/ops/tensor_ops.hpp>
#include <tapegrad/ops/loss.hpp>
#include <tapegrad/ops/loss_options.hpp>

namespace tg::nn {

// Negative log-likelihood of log-probabilities (N, C) (or (N, C, d1, ...)) at class targets (N,).
class NLLLossImpl : public Module {
 public:
  explicit NLLLossImpl(NLLLossOptions options = {});
  Tensor forward(const Tensor& log_probs, const Tensor& target);
  void pretty_print(std::ostream& stream) const override;
  const NLLLossOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<NLLLossImpl>(options_); }

 private:
  NLLLossOptions options_;
  Tensor weight_;
};
TG_MODULE(NLLLoss);

// log_softmax over classes and negative log-likelihood in one stable op: logits (N, C), target (N,)
// class indices in [0, C).
class CrossEntropyLossImpl : public Module {
 public:
  explicit CrossEntropyLossImpl(CrossEntropyLossOptions options = {});
  Tensor forward(const Tensor& logits, const Tensor& target);
  void pretty_print(std::ostream& stream) const override;
  const CrossEntropyLossOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<CrossEntropyLossImpl>(options_); }

 private:
  CrossEntropyLossOptions options_;
  Tensor weight_;
};
TG_MODULE(CrossEntropyLoss);

// Binary cross-entropy of probabilities in [0, 1] against targets of the same shape.
class BCELossImpl : public Module {
 public:
  explicit BCELossImpl(BCELossOptions options = {});
  Tensor forward(const Tensor& input, const Tensor& target);
  void pretty_print(std::ostream& stream) const override;
  const BCELossOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<BCELossImpl>(options_); }

 private:
  BCELossOptions options_;
  Tensor weight_;
};
TG_MODULE(BCELoss);

// Binary cross-entropy of logits (sigmoid folded in, stable at any scale), with pos_weight.
class BCEWithLogitsLossImpl : public Module {
 public:
  explicit BCEWithLogitsLossImpl(BCEWithLogitsLossOptions options = {});
  Tensor forward(const Tensor& input, const Tensor& target);
  void pretty_print(std::ostream& stream) const override;
  const BCEWithLogitsLossOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<BCEWithLogitsLossImpl>(options_); }

 private:
  BCEWithLogitsLossOptions options_;
  Tensor weight_, pos_weight_;
};
TG_MODULE(BCEWithLogitsLoss);

// The elementwise regression losses: (input - target) through a fixed function, reduced.
class L1LossImpl : public Module {
 public:
  explicit L1LossImpl(L1LossOptions options = {}) : options_(options) {}
  Tensor forward(const Tensor& input, const Tensor& target);
  void pretty_print(std::ostream& stream) const override;
  const L1LossOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<L1LossImpl>(options_); }

 private:
  L1LossOptions options_;
};
TG_MODULE(L1Loss);

class MSELossImpl : public Module {
 public:
  explicit MSELossImpl(MSELossOptions options = {}) : options_(options) {}
  Tensor forward(const Tensor& input, const Tensor& target);
  void pretty_print(std::ostream& stream) const override;
  const MSELossOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<MSELossImpl>(options_); }

 private:
  MSELossOptions options_;
};
TG_MODULE(MSELoss);

class SmoothL1LossImpl : public Module {
 public:
  explicit SmoothL1LossImpl(SmoothL1LossOptions options = {}) : options_(options) {}
  Tensor forward(const Tensor& input, const Tensor& target);
  void pretty_print(std::ostream& stream) const override;
  const SmoothL1LossOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<SmoothL1LossImpl>(options_); }

 private:
  SmoothL1LossOptions options_;
};
TG_MODULE(SmoothL1Loss);

class HuberLossImpl : public Module {
 public:
  explicit HuberLossImpl(HuberLossOptions options = {}) : options_(options) {}
  Tensor forward(const Tensor& input, const Tensor& target);
  void pretty_print(std::ostream& stream) const override;
  const HuberLossOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<HuberLossImpl>(options_); }

 private:
  HuberLossOptions options_;
};
TG_MODULE(HuberLoss);

// Kullback-Leibler divergence of target from input (log-probabilities), F::kl_div.
class KLDivLossImpl : public Module {
 public:
  explicit KLDivLossImpl(KLDivLossOptions options = {}) : options_(options) {}
  Tensor forward(const Tensor& input, const Tensor& target);
  void pretty_print(std::ostream& stream) const override;
  const KLDivLossOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<KLDivLossImpl>(options_); }

 private:
  KLDivLossOptions options_;
};
TG_MODULE(KLDivLoss);

}  // namespace tg::nn
