#include <tapegrad/optim/lr_scheduler.hpp>

#include <string>

namespace tg::optim {

void LRScheduler::step() {
  set_optimizer_lrs(get_lrs());
  ++step_count_;
}

std::vector<double> LRScheduler::get_current_lrs() const {
  std::vector<double> lrs;
  for (const auto& group : optimizer_.param_groups()) lrs.push_back(group.options().get_lr());
  return lrs;
}

void LRScheduler::set_optimizer_lrs(const std::vector<double>& learning_rates) {
  auto& groups = optimizer_.param_groups();
  if (learning_rates.size() != groups.size())
    throw Error("LRScheduler: " + std::to_string(learning_rates.size()) + " learning rates for " +
                std::to_string(groups.size()) + " parameter groups (was a group added after the scheduler was made?)");
  for (std::size_t i = 0; i < groups.size(); ++i) groups[i].options().set_lr(learning_rates[i]);
}

}  // namespace tg::optim
