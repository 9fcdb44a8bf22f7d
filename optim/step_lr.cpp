#include <tapegrad/optim/step_lr.hpp>

#include <string>

namespace tg::optim {

StepLR::StepLR(Optimizer& optimizer, unsigned step_size, double gamma)
    : LRScheduler(optimizer), step_size_(step_size), gamma_(gamma) {
  if (step_size == 0) throw Error("StepLR: expected step_size >= 1, got 0");
  if (!(gamma >= 0)) throw Error("StepLR: expected gamma >= 0, got " + std::to_string(gamma));
}

std::vector<double> StepLR::get_lrs() {
  std::vector<double> lrs = get_current_lrs();
  if (step_count_ != 0 && step_count_ % step_size_ == 0)
    for (double& lr : lrs) lr *= gamma_;
  return lrs;
}

}  // namespace tg::optim
