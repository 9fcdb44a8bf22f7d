// tg::optim::LRScheduler: the base of the learning-rate schedules, as LibTorch 1.13's
// torch::optim::LRScheduler. Each step() sets every parameter group's lr to what the schedule gives
// for the next step, then counts the step:
//
//   tg::optim::StepLR schedule(opt, /*step_size=*/30, /*gamma=*/0.1);
//   for (int epoch = 0; epoch < 90; ++epoch) { train(...); schedule.step(); }
//
// LibTorch 1.13's C++ frontend has only StepLR; the others (MultiStepLR, ExponentialLR,
// CosineAnnealingLR, OneCycleLR, ReduceLROnPlateau) follow PyTorch 1.13's Python classes of the same
// names: after the k-th step() the lr is the schedule's value at epoch k (Python's last_epoch).
#pragma once

#include <cstddef>
#include <vector>

#include <tapegrad/optim/optimizer.hpp>

namespace tg::optim {

class LRScheduler {
 public:
  // The scheduler keeps a reference: `optimizer` must outlive it.
  explicit LRScheduler(Optimizer& optimizer) : optimizer_(optimizer) {}
  virtual ~LRScheduler() = default;

  void step();

  // How many times step() was called.
  std::size_t steps_taken() const { return step_count_; }
  // Every group's lr now (PyTorch's get_last_lr()).
  std::vector<double> get_last_lr() const { return get_current_lrs(); }

 protected:
  // The lr of each parameter group for the next step; step_count_ is the number of steps before it.
  virtual std::vector<double> get_lrs() = 0;
  std::vector<double> get_current_lrs() const;

  std::size_t step_count_ = 0;
  Optimizer& optimizer_;

 private:
  void set_optimizer_lrs(const std::vector<double>& learning_rates);
};

}  // namespace tg::optim
