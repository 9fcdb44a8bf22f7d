// AdamW (Loshchilov & Hutter): Adam whose weight decay shrinks the parameter, p *= 1 - lr*weight_decay,
// instead of adding to the gradient. LibTorch 1.13's torch::optim::AdamW (weight_decay defaults to 1e-2).
#pragma once

#include <tuple>
#include <vector>

#include <tapegrad/optim/adam.hpp>

namespace tg::optim {

struct AdamWOptions : public OptimizerCloneableOptions<AdamWOptions> {
  AdamWOptions(double lr = 1e-3) : lr_(lr) {}
  using betas_t = std::tuple<double, double>;
  TG_ARG(double, lr);
  TG_ARG(betas_t, betas) = std::make_tuple(0.9, 0.999);
  TG_ARG(double, eps) = 1e-8;
  TG_ARG(double, weight_decay) = 1e-2;
  TG_ARG(bool, amsgrad) = false;

 public:
  void serialize(OptimizerArchive& archive) override;
};

// The same fields as Adam's (LibTorch declares an identical AdamWParamState).
using AdamWParamState = AdamParamState;

class AdamW : public Optimizer {
 public:
  // Throws (as LibTorch does) unless lr >= 0, eps >= 0, 0 <= beta < 1 for both betas and
  // weight_decay >= 0 — for the defaults and every group's options.
  AdamW(std::vector<OptimizerParamGroup> param_groups, AdamWOptions defaults = {});
  AdamW(std::vector<Tensor> params, AdamWOptions defaults = {})
      : AdamW(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))}, std::move(defaults)) {}

  Tensor step(LossClosure closure = nullptr) override;

  std::string name() const override { return "AdamW"; }
  void check_options(const OptimizerOptions& options) const override;
  std::unique_ptr<OptimizerParamState> make_param_state() const override { return std::make_unique<AdamWParamState>(); }
};

}  // namespace tg::optim
