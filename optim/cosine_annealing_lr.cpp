#include <tapegrad/optim/cosine_annealing_lr.hpp>

#include <algorithm>
#include <cmath>
#include <string>

namespace tg::optim {

CosineAnnealingLR::CosineAnnealingLR(Optimizer& optimizer, std::size_t t_max, double eta_min)
    : LRScheduler(optimizer), t_max_(t_max), eta_min_(eta_min), base_lrs_(get_current_lrs()) {
  if (t_max == 0) throw Error("CosineAnnealingLR: expected t_max >= 1, got 0");
  if (!(eta_min >= 0)) throw Error("CosineAnnealingLR: expected eta_min >= 0, got " + std::to_string(eta_min));
}

std::vector<double> CosineAnnealingLR::get_lrs() {
  const double progress = static_cast<double>(std::min(step_count_ + 1, t_max_)) / static_cast<double>(t_max_);
  std::vector<double> lrs;
  for (double base_lr : base_lrs_) lrs.push_back(eta_min_ + (base_lr - eta_min_) * (1 + std::cos(M_PI * progress)) / 2);
  return lrs;
}

}  // namespace tg::optim
