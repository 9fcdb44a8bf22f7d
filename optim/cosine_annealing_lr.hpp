// CosineAnnealingLR without restarts: after t of t_max steps,
//   lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * t / t_max)) / 2,
// where base_lr is the group's lr when the scheduler is made. Up to t_max this is PyTorch 1.13's
// Python CosineAnnealingLR (LibTorch 1.13 has none), computed in closed form; past t_max tapegrad holds
// eta_min, where PyTorch's cosine climbs back.
//
//   tg::optim::CosineAnnealingLR schedule(opt, /*t_max=*/epochs * loader.size());
//   for (...) { ...; opt.step(); schedule.step(); }
#pragma once

#include <cstddef>
#include <vector>

#include <tapegrad/optim/lr_scheduler.hpp>

namespace tg::optim {

class CosineAnnealingLR : public LRScheduler {
 public:
  // Throws when t_max is 0 or eta_min is negative.
  CosineAnnealingLR(Optimizer& optimizer, std::size_t t_max, double eta_min = 0.0);

 private:
  std::vector<double> get_lrs() override;

  const std::size_t t_max_;
  const double eta_min_;
  const std::vector<double> base_lrs_;
};

}  // namespace tg::optim
