// Learning-rate schedules: a scheduler sets its optimizer's lr each time step() is called.
//
//   tg::optim::CosineAnnealingLR schedule(opt, /*t_max=*/epochs * loader.size());
//   for (...) { ...; opt.step(); schedule.step(); }
#pragma once

#include <cstddef>

#include <tapegrad/optim/optimizer.hpp>

namespace tg::optim {

// PyTorch's CosineAnnealingLR without restarts: after t of t_max steps,
//   lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * t / t_max)) / 2,
// where base_lr is the optimizer's lr when the scheduler is made; lr stays at eta_min past t_max.
class CosineAnnealingLR {
 public:
  // Throws when t_max is 0 or eta_min is negative.
  CosineAnnealingLR(Optimizer& optimizer, std::size_t t_max, double eta_min = 0.0);

  void step();
  std::size_t steps_taken() const { return t_; }

 private:
  Optimizer& optimizer_;
  std::size_t t_max_, t_ = 0;
  double base_lr_, eta_min_;
};

}  // namespace tg::optim
