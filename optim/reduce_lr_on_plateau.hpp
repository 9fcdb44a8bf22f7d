// ReduceLROnPlateau: multiplies every group's lr by factor when a metric has stopped improving for
// more than `patience` steps. PyTorch 1.13's Python ReduceLROnPlateau (LibTorch 1.13 has none); as
// there, it is no LRScheduler, since its step takes the metric:
//
//   tg::optim::ReduceLROnPlateau schedule(opt, tg::optim::ReduceLROnPlateauOptions().patience(2));
//   for (...) { train(...); schedule.step(validation_loss); }
//
// A metric improves on the best so far when (mode min, threshold_mode rel) it is below
// best * (1 - threshold); (min, abs) below best - threshold; (max, rel) above best * (1 + threshold);
// (max, abs) above best + threshold. After a reduction, `cooldown` steps pass without counting.
// An lr never goes below its min_lr, and changes only when it would change by more than eps.
#pragma once

#include <cstddef>
#include <vector>

#include <tapegrad/optim/optimizer.hpp>

namespace tg::optim {

struct ReduceLROnPlateauOptions {
  enum class Mode { min, max };
  enum class ThresholdMode { rel, abs };
  TG_ARG(Mode, mode) = Mode::min;
  TG_ARG(double, factor) = 0.1;
  TG_ARG(std::size_t, patience) = 10;
  TG_ARG(double, threshold) = 1e-4;
  TG_ARG(ThresholdMode, threshold_mode) = ThresholdMode::rel;
  TG_ARG(std::size_t, cooldown) = 0;
  // One value for all groups, or one per group.
  TG_ARG(std::vector<double>, min_lr) = {0.0};
  TG_ARG(double, eps) = 1e-8;
};

class ReduceLROnPlateau {
 public:
  // Throws unless 0 <= factor < 1, threshold >= 0, eps >= 0, and min_lr has one value (>= 0) or one
  // per parameter group.
  explicit ReduceLROnPlateau(Optimizer& optimizer, const ReduceLROnPlateauOptions& options = {});

  // A NaN metric counts as no improvement, as in PyTorch.
  void step(double metric);

  double best() const { return best_; }
  std::size_t num_bad_epochs() const { return num_bad_epochs_; }
  // Every group's lr now (PyTorch's _last_lr).
  std::vector<double> get_last_lr() const;

 private:
  bool is_better(double metric) const;

  Optimizer& optimizer_;
  ReduceLROnPlateauOptions options_;
  double best_;
  std::size_t num_bad_epochs_ = 0, cooldown_counter_ = 0;
};

}  // namespace tg::optim
