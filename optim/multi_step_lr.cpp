#include <tapegrad/optim/multi_step_lr.hpp>

#include <algorithm>
#include <cmath>
#include <string>

namespace tg::optim {

MultiStepLR::MultiStepLR(Optimizer& optimizer, std::vector<std::size_t> milestones, double gamma)
    : LRScheduler(optimizer), milestones_(std::move(milestones)), gamma_(gamma) {
  if (!(gamma >= 0)) throw Error("MultiStepLR: expected gamma >= 0, got " + std::to_string(gamma));
}

std::vector<double> MultiStepLR::get_lrs() {
  const std::size_t epoch = step_count_ + 1;
  const auto hits = std::count(milestones_.begin(), milestones_.end(), epoch);
  std::vector<double> lrs = get_current_lrs();
  if (hits != 0)
    for (double& lr : lrs) lr *= std::pow(gamma_, static_cast<double>(hits));
  return lrs;
}

}  // namespace tg::optim
