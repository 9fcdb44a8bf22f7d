// OneCycleLR (Smith & Topin's 1cycle policy), PyTorch 1.13's Python OneCycleLR (LibTorch 1.13 has
// none). The lr rises from max_lr/div_factor to max_lr over the first pct_start of total_steps, then
// falls to max_lr/(div_factor*final_div_factor); with three_phase it falls back to the start over a
// second pct_start and then to the minimum. Momentum (SGD's and RMSprop's momentum, Adam's and AdamW's
// beta1) cycles the other way, between max_momentum and base_momentum, unless cycle_momentum(false).
// The scheduler sets the starting lr (and momentum) when it is made, as PyTorch's does.
//
//   tg::optim::OneCycleLR schedule(opt, tg::optim::OneCycleLROptions(0.1, epochs * loader.size()));
//   for (...) { ...; opt.step(); schedule.step(); }
//
// Differences from PyTorch: total_steps is required (PyTorch also takes epochs * steps_per_epoch);
// base_momentum and max_momentum are one value for all groups.
#pragma once

#include <cstddef>
#include <vector>

#include <tapegrad/optim/lr_scheduler.hpp>

namespace tg::optim {

enum class AnnealStrategy { cos, linear };

struct OneCycleLROptions {
  // max_lr: one for all groups, or one per group.
  OneCycleLROptions(double max_lr, std::size_t total_steps) : max_lr_{max_lr}, total_steps_(total_steps) {}
  OneCycleLROptions(std::vector<double> max_lr, std::size_t total_steps)
      : max_lr_(std::move(max_lr)), total_steps_(total_steps) {}
  TG_ARG(std::vector<double>, max_lr);
  TG_ARG(std::size_t, total_steps);
  TG_ARG(double, pct_start) = 0.3;
  TG_ARG(AnnealStrategy, anneal_strategy) = AnnealStrategy::cos;
  TG_ARG(bool, cycle_momentum) = true;
  TG_ARG(double, base_momentum) = 0.85;
  TG_ARG(double, max_momentum) = 0.95;
  TG_ARG(double, div_factor) = 25.0;
  TG_ARG(double, final_div_factor) = 1e4;
  TG_ARG(bool, three_phase) = false;
};

class OneCycleLR : public LRScheduler {
 public:
  // Throws when total_steps is 0, pct_start is outside [0, 1], div_factor or final_div_factor is not
  // positive, max_lr has neither one value nor one per group, or cycle_momentum is on and the
  // optimizer has no momentum (Adagrad). step() throws past total_steps, as PyTorch's does.
  OneCycleLR(Optimizer& optimizer, const OneCycleLROptions& options);

 private:
  std::vector<double> get_lrs() override;

  struct Phase {
    double end_step;
    int start, end;  // indices into a group's {initial, max, min} lr and {max, base} momentum
  };
  // At `step` the lr of each group; sets each group's momentum when it cycles.
  std::vector<double> at(std::size_t step);

  OneCycleLROptions options_;
  std::vector<Phase> phases_;
  std::vector<double> initial_lrs_, max_lrs_, min_lrs_;
};

}  // namespace tg::optim
