// Adam (Kingma & Ba), with L2 weight decay added to the gradient and optional AMSGrad: LibTorch 1.13's
// torch::optim::Adam, option for option and update for update (optim/detail/update_rules.hpp).
//
//   tg::optim::Adam opt(net->parameters(), tg::optim::AdamOptions(1e-3).betas({0.9, 0.999}).amsgrad(true));
#pragma once

#include <tuple>
#include <vector>

#include <tapegrad/optim/optimizer.hpp>

namespace tg::optim {

struct AdamOptions : public OptimizerCloneableOptions<AdamOptions> {
  AdamOptions(double lr = 1e-3) : lr_(lr) {}
  using betas_t = std::tuple<double, double>;
  TG_ARG(double, lr);
  TG_ARG(betas_t, betas) = std::make_tuple(0.9, 0.999);
  TG_ARG(double, eps) = 1e-8;
  TG_ARG(double, weight_decay) = 0;
  TG_ARG(bool, amsgrad) = false;

 public:
  void serialize(OptimizerArchive& archive) override;
};

// Also AdamW's state. step counts this parameter's updates; max_exp_avg_sq exists with amsgrad.
struct AdamParamState : public OptimizerCloneableParamState<AdamParamState> {
  TG_ARG(std::int64_t, step) = 0;
  TG_ARG(Tensor, exp_avg);
  TG_ARG(Tensor, exp_avg_sq);
  TG_ARG(Tensor, max_exp_avg_sq);

 public:
  void serialize(OptimizerArchive& archive) override;
};

class Adam : public Optimizer {
 public:
  // Throws (as LibTorch does) unless lr >= 0, eps >= 0, 0 <= beta < 1 for both betas and
  // weight_decay >= 0 — for the defaults and every group's options.
  Adam(std::vector<OptimizerParamGroup> param_groups, AdamOptions defaults = {});
  Adam(std::vector<Tensor> params, AdamOptions defaults = {})
      : Adam(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))}, std::move(defaults)) {}

  Tensor step(LossClosure closure = nullptr) override;

  std::string name() const override { return "Adam"; }
  void check_options(const OptimizerOptions& options) const override;
  std::unique_ptr<OptimizerParamState> make_param_state() const override { return std::make_unique<AdamParamState>(); }
};

namespace detail {
// Throws naming `who` unless `options` are valid Adam-family options (lr, eps, betas, weight_decay).
template <class Options>
void check_adam_options(const char* who, const OptimizerOptions& options);
// One Adam or AdamW step over every group (decoupled: AdamW's weight decay).
template <class Options>
void adam_family_step(Optimizer& optimizer, bool decoupled, const char* who);
}  // namespace detail

}  // namespace tg::optim
