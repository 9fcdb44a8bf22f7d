// Stochastic gradient descent with momentum, dampening, Nesterov momentum and weight decay: LibTorch
// 1.13's torch::optim::SGD, option for option and update for update (optim/detail/update_rules.hpp).
#pragma once

#include <vector>

#include <tapegrad/optim/optimizer.hpp>

namespace tg::optim {

// Builder-style options, as in LibTorch: SGDOptions(0.1).momentum(0.9).nesterov(true).
struct SGDOptions : public OptimizerCloneableOptions<SGDOptions> {
  SGDOptions(double lr) : lr_(lr) {}
  TG_ARG(double, lr);
  TG_ARG(double, momentum) = 0;
  TG_ARG(double, dampening) = 0;
  TG_ARG(double, weight_decay) = 0;
  TG_ARG(bool, nesterov) = false;

 public:
  void serialize(OptimizerArchive& archive) override;
};

// Present once the parameter has stepped with momentum.
struct SGDParamState : public OptimizerCloneableParamState<SGDParamState> {
  TG_ARG(Tensor, momentum_buffer);

 public:
  void serialize(OptimizerArchive& archive) override;
};

class SGD : public Optimizer {
 public:
  // Throws (as LibTorch does) unless lr >= 0, momentum >= 0, weight_decay >= 0, and, with nesterov,
  // momentum > 0 and dampening == 0 — for the defaults and every group's options.
  SGD(std::vector<OptimizerParamGroup> param_groups, SGDOptions defaults);
  SGD(std::vector<Tensor> params, SGDOptions defaults)
      : SGD(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))}, std::move(defaults)) {}

  Tensor step(LossClosure closure = nullptr) override;

  std::string name() const override { return "SGD"; }
  void check_options(const OptimizerOptions& options) const override;
  std::unique_ptr<OptimizerParamState> make_param_state() const override { return std::make_unique<SGDParamState>(); }
};

}  // namespace tg::optim
