// StepLR: multiplies every group's lr by gamma every step_size steps. LibTorch 1.13's
// torch::optim::StepLR exactly, which decays at the (step_size + 1)-th step() call and every
// step_size calls after — one call later than PyTorch's Python StepLR (measured against both).
#pragma once

#include <tapegrad/optim/lr_scheduler.hpp>

namespace tg::optim {

class StepLR : public LRScheduler {
 public:
  // Throws when step_size is 0 or gamma is negative.
  StepLR(Optimizer& optimizer, unsigned step_size, double gamma = 0.1);

 private:
  std::vector<double> get_lrs() override;

  const unsigned step_size_;
  const double gamma_;
};

}  // namespace tg::optim
