#include <tapegrad/optim/exponential_lr.hpp>

#include <string>

namespace tg::optim {

ExponentialLR::ExponentialLR(Optimizer& optimizer, double gamma) : LRScheduler(optimizer), gamma_(gamma) {
  if (!(gamma >= 0)) throw Error("ExponentialLR: expected gamma >= 0, got " + std::to_string(gamma));
}

std::vector<double> ExponentialLR::get_lrs() {
  std::vector<double> lrs = get_current_lrs();
  for (double& lr : lrs) lr *= gamma_;
  return lrs;
}

}  // namespace tg::optim
