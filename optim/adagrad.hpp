// Adagrad (Duchi et al.), with learning-rate decay and L2 weight decay: LibTorch 1.13's
// torch::optim::Adagrad, option for option and update for update (optim/detail/update_rules.hpp).
#pragma once

#include <vector>

#include <tapegrad/optim/optimizer.hpp>

namespace tg::optim {

struct AdagradOptions : public OptimizerCloneableOptions<AdagradOptions> {
  AdagradOptions(double lr = 1e-2) : lr_(lr) {}
  TG_ARG(double, lr);
  TG_ARG(double, lr_decay) = 0;
  TG_ARG(double, weight_decay) = 0;
  TG_ARG(double, initial_accumulator_value) = 0;
  TG_ARG(double, eps) = 1e-10;

 public:
  void serialize(OptimizerArchive& archive) override;
};

struct AdagradParamState : public OptimizerCloneableParamState<AdagradParamState> {
  TG_ARG(Tensor, sum);
  TG_ARG(std::int64_t, step) = 0;

 public:
  void serialize(OptimizerArchive& archive) override;
};

class Adagrad : public Optimizer {
 public:
  // Throws (as LibTorch does) unless lr, lr_decay, weight_decay, initial_accumulator_value and eps
  // are all >= 0 — for the defaults and every group's options. LibTorch fills each parameter's sum
  // with the defaults' initial_accumulator_value here (a group's own value is never used, in PyTorch
  // too); tapegrad does the same at the parameter's first step, so parameters added later get one too.
  Adagrad(std::vector<OptimizerParamGroup> param_groups, AdagradOptions defaults = {});
  Adagrad(std::vector<Tensor> params, AdagradOptions defaults = {})
      : Adagrad(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))}, std::move(defaults)) {}

  Tensor step(LossClosure closure = nullptr) override;

  std::string name() const override { return "Adagrad"; }
  void check_options(const OptimizerOptions& options) const override;
  std::unique_ptr<OptimizerParamState> make_param_state() const override {
    return std::make_unique<AdagradParamState>();
  }
};

}  // namespace tg::optim
