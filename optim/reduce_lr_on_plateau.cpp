#include <tapegrad/optim/reduce_lr_on_plateau.hpp>

#include <algorithm>
#include <limits>
#include <string>

namespace tg::optim {

ReduceLROnPlateau::ReduceLROnPlateau(Optimizer& optimizer, const ReduceLROnPlateauOptions& options)
    : optimizer_(optimizer),
      options_(options),
      best_(options.mode() == ReduceLROnPlateauOptions::Mode::min ? std::numeric_limits<double>::infinity()
                                                                  : -std::numeric_limits<double>::infinity()) {
  auto fail = [](const std::string& what) { throw Error("ReduceLROnPlateau: " + what); };
  if (!(options.factor() >= 0 && options.factor() < 1))
    fail("expected 0 <= factor < 1, got " + std::to_string(options.factor()));
  if (!(options.threshold() >= 0)) fail("expected threshold >= 0, got " + std::to_string(options.threshold()));
  if (!(options.eps() >= 0)) fail("expected eps >= 0, got " + std::to_string(options.eps()));
  const std::size_t groups = optimizer.param_groups().size();
  const auto& min_lr = options.min_lr();
  if (min_lr.size() != 1 && min_lr.size() != groups)
    fail("expected one min_lr or one per parameter group (" + std::to_string(groups) + "), got " +
         std::to_string(min_lr.size()));
  for (double v : min_lr)
    if (!(v >= 0)) fail("expected min_lr >= 0, got " + std::to_string(v));
}

bool ReduceLROnPlateau::is_better(double metric) const {
  using Mode = ReduceLROnPlateauOptions::Mode;
  const bool rel = options_.threshold_mode() == ReduceLROnPlateauOptions::ThresholdMode::rel;
  const double t = options_.threshold();
  if (options_.mode() == Mode::min) return metric < (rel ? best_ * (1 - t) : best_ - t);
  return metric > (rel ? best_ * (t + 1) : best_ + t);
}

void ReduceLROnPlateau::step(double metric) {
  if (is_better(metric)) {
    best_ = metric;
    num_bad_epochs_ = 0;
  } else {
    ++num_bad_epochs_;
  }
  if (cooldown_counter_ > 0) {
    --cooldown_counter_;
    num_bad_epochs_ = 0;
  }
  if (num_bad_epochs_ > options_.patience()) {
    auto& groups = optimizer_.param_groups();
    const auto& min_lr = options_.min_lr();
    if (min_lr.size() != 1 && min_lr.size() != groups.size())
      throw Error("ReduceLROnPlateau: " + std::to_string(min_lr.size()) + " min_lr values for " +
                  std::to_string(groups.size()) + " parameter groups (was a group added after the scheduler was made?)");
    for (std::size_t g = 0; g < groups.size(); ++g) {
      const double old_lr = groups[g].options().get_lr();
      const double new_lr = std::max(old_lr * options_.factor(), min_lr.size() == 1 ? min_lr[0] : min_lr[g]);
      if (old_lr - new_lr > options_.eps()) groups[g].options().set_lr(new_lr);
    }
    cooldown_counter_ = options_.cooldown();
    num_bad_epochs_ = 0;
  }
}

std::vector<double> ReduceLROnPlateau::get_last_lr() const {
  std::vector<double> lrs;
  for (const auto& group : optimizer_.param_groups()) lrs.push_back(group.options().get_lr());
  return lrs;
}

}  // namespace tg::optim
