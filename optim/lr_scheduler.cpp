#include <tapegrad/optim/lr_scheduler.hpp>

#include <algorithm>
#include <cmath>
#include <string>

#include <tapegrad/core/array.hpp>

namespace tg::optim {

CosineAnnealingLR::CosineAnnealingLR(Optimizer& optimizer, std::size_t t_max, double eta_min)
    : optimizer_(optimizer), t_max_(t_max), base_lr_(optimizer.lr()), eta_min_(eta_min) {
  if (t_max == 0) throw Error("CosineAnnealingLR: expected t_max >= 1, got 0");
  if (!(eta_min >= 0)) throw Error("CosineAnnealingLR: expected eta_min >= 0, got " + std::to_string(eta_min));
}

void CosineAnnealingLR::step() {
  ++t_;
  const double progress = static_cast<double>(std::min(t_, t_max_)) / static_cast<double>(t_max_);
  optimizer_.set_lr(eta_min_ + (base_lr_ - eta_min_) * (1 + std::cos(M_PI * progress)) / 2);
}

}  // namespace tg::optim
