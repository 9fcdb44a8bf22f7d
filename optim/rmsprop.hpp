// RMSprop (Hinton), with optional momentum, centering and L2 weight decay: LibTorch 1.13's
// torch::optim::RMSprop, option for option and update for update (optim/detail/update_rules.hpp).
#pragma once

#include <vector>

#include <tapegrad/optim/optimizer.hpp>

namespace tg::optim {

struct RMSpropOptions : public OptimizerCloneableOptions<RMSpropOptions> {
  RMSpropOptions(double lr = 1e-2) : lr_(lr) {}
  TG_ARG(double, lr);
  TG_ARG(double, alpha) = 0.99;
  TG_ARG(double, eps) = 1e-8;
  TG_ARG(double, weight_decay) = 0;
  TG_ARG(double, momentum) = 0;
  TG_ARG(bool, centered) = false;

 public:
  void serialize(OptimizerArchive& archive) override;
};

// momentum_buffer exists with momentum > 0, grad_avg when centered.
struct RMSpropParamState : public OptimizerCloneableParamState<RMSpropParamState> {
  TG_ARG(std::int64_t, step) = 0;
  TG_ARG(Tensor, square_avg);
  TG_ARG(Tensor, momentum_buffer);
  TG_ARG(Tensor, grad_avg);

 public:
  void serialize(OptimizerArchive& archive) override;
};

class RMSprop : public Optimizer {
 public:
  // Throws (as LibTorch does) unless lr, eps, momentum, weight_decay and alpha are all >= 0 — for the
  // defaults and every group's options.
  RMSprop(std::vector<OptimizerParamGroup> param_groups, RMSpropOptions defaults = {});
  RMSprop(std::vector<Tensor> params, RMSpropOptions defaults = {})
      : RMSprop(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))}, std::move(defaults)) {}

  Tensor step(LossClosure closure = nullptr) override;

  std::string name() const override { return "RMSprop"; }
  void check_options(const OptimizerOptions& options) const override;
  std::unique_ptr<OptimizerParamState> make_param_state() const override {
    return std::make_unique<RMSpropParamState>();
  }
};

}  // namespace tg::optim
