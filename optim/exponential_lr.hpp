// ExponentialLR: multiplies every group's lr by gamma at each step (PyTorch 1.13's Python
// ExponentialLR; LibTorch 1.13 has none).
#pragma once

#include <tapegrad/optim/lr_scheduler.hpp>

namespace tg::optim {

class ExponentialLR : public LRScheduler {
 public:
  // Throws when gamma is negative.
  ExponentialLR(Optimizer& optimizer, double gamma);

 private:
  std::vector<double> get_lrs() override;

  const double gamma_;
};

}  // namespace tg::optim
