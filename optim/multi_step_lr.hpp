// MultiStepLR: multiplies every group's lr by gamma at each milestone (PyTorch 1.13's Python
// MultiStepLR; LibTorch 1.13 has none): after the k-th step() the lr has been multiplied once for each
// milestone <= k (a milestone listed twice counts twice).
#pragma once

#include <cstddef>
#include <vector>

#include <tapegrad/optim/lr_scheduler.hpp>

namespace tg::optim {

class MultiStepLR : public LRScheduler {
 public:
  // Throws when gamma is negative.
  MultiStepLR(Optimizer& optimizer, std::vector<std::size_t> milestones, double gamma = 0.1);

 private:
  std::vector<double> get_lrs() override;

  const std::vector<std::size_t> milestones_;
  const double gamma_;
};

}  // namespace tg::optim
