#include <tapegrad/optim/one_cycle_lr.hpp>

#include <cmath>
#include <string>

#include <tapegrad/optim/adam.hpp>
#include <tapegrad/optim/adamw.hpp>
#include <tapegrad/optim/rmsprop.hpp>
#include <tapegrad/optim/sgd.hpp>

namespace tg::optim {
namespace {

// The option that cycles as momentum: beta1 where the options have betas, else momentum (PyTorch's
// rule); null when they have neither.
double* cycled_momentum(OptimizerOptions& options) {
  if (auto* o = dynamic_cast<AdamOptions*>(&options)) return &std::get<0>(o->betas());
  if (auto* o = dynamic_cast<AdamWOptions*>(&options)) return &std::get<0>(o->betas());
  if (auto* o = dynamic_cast<SGDOptions*>(&options)) return &o->momentum();
  if (auto* o = dynamic_cast<RMSpropOptions*>(&options)) return &o->momentum();
  return nullptr;
}

// x * y - c with the product rounded first, as Python computes it: a fused multiply-add (which the
// compiler may emit) would not round it, and a phase PyTorch ends exactly at a step would end beside it.
double product_minus(double x, double y, double c) {
  volatile double product = x * y;
  return product - c;
}

double anneal(AnnealStrategy strategy, double start, double end, double pct) {
  if (strategy == AnnealStrategy::cos) return end + (start - end) / 2.0 * (std::cos(M_PI * pct) + 1);
  return (end - start) * pct + start;
}

}  // namespace

OneCycleLR::OneCycleLR(Optimizer& optimizer, const OneCycleLROptions& options)
    : LRScheduler(optimizer), options_(options) {
  const std::size_t groups = optimizer.param_groups().size();
  auto fail = [](const std::string& what) { throw Error("OneCycleLR: " + what); };
  if (options.total_steps() == 0) fail("expected total_steps >= 1, got 0");
  if (!(options.pct_start() >= 0 && options.pct_start() <= 1))
    fail("expected pct_start in [0, 1], got " + std::to_string(options.pct_start()));
  if (!(options.div_factor() > 0)) fail("expected div_factor > 0, got " + std::to_string(options.div_factor()));
  if (!(options.final_div_factor() > 0))
    fail("expected final_div_factor > 0, got " + std::to_string(options.final_div_factor()));
  const auto& max_lr = options.max_lr();
  if (max_lr.size() != 1 && max_lr.size() != groups)
    fail("expected one max_lr or one per parameter group (" + std::to_string(groups) + "), got " +
         std::to_string(max_lr.size()));
  for (std::size_t g = 0; g < groups; ++g) {
    max_lrs_.push_back(max_lr.size() == 1 ? max_lr[0] : max_lr[g]);
    initial_lrs_.push_back(max_lrs_.back() / options.div_factor());
    min_lrs_.push_back(initial_lrs_.back() / options.final_div_factor());
  }
  if (options.cycle_momentum())
    for (auto& group : optimizer.param_groups())
      if (!cycled_momentum(group.options()))
        fail("optimizer must support momentum with cycle_momentum enabled (" + optimizer.name() +
             " has neither momentum nor betas); pass cycle_momentum(false)");

  // PyTorch's phases: end steps as floats, lr from/to indices (0 initial, 1 max, 2 min) and momentum
  // from/to indices (0 max, 1 base).
  const double total = static_cast<double>(options.total_steps()), pct = options.pct_start();
  if (options.three_phase())
    phases_ = {{product_minus(pct, total, 1), 0, 1}, {product_minus(2 * pct, total, 2), 1, 0}, {total - 1, 0, 2}};
  else
    phases_ = {{product_minus(pct, total, 1), 0, 1}, {total - 1, 1, 2}};
  const std::vector<double> lrs = at(0);
  for (std::size_t g = 0; g < groups; ++g) optimizer.param_groups()[g].options().set_lr(lrs[g]);
}

std::vector<double> OneCycleLR::get_lrs() { return at(step_count_ + 1); }

std::vector<double> OneCycleLR::at(std::size_t step) {
  if (step > options_.total_steps())
    throw Error("OneCycleLR: step " + std::to_string(step) + " is past total_steps (" +
                std::to_string(options_.total_steps()) + ")");
  // Momentum runs max -> base while the lr rises, and back while it falls: phase i's momentum goes
  // from momenta[i] to momenta[i + 1], with the last phase's staying at max.
  const double max_m = options_.max_momentum(), base_m = options_.base_momentum();
  const std::vector<double> momenta = options_.three_phase() ? std::vector<double>{max_m, base_m, max_m, max_m}
                                                             : std::vector<double>{max_m, base_m, max_m};
  const double s = static_cast<double>(step);
  std::size_t i = 0;
  double start_step = 0;
  while (i + 1 < phases_.size() && !(s <= phases_[i].end_step)) start_step = phases_[i++].end_step;
  const Phase& phase = phases_[i];
  if (phase.end_step == start_step)
    throw Error("OneCycleLR: a phase of length 0 (pct_start * total_steps = " +
                std::to_string(options_.pct_start() * static_cast<double>(options_.total_steps())) +
                "); choose pct_start so that each phase spans more than one step");
  const double pct = (s - start_step) / (phase.end_step - start_step);
  std::vector<double> lrs;
  auto& groups = optimizer_.param_groups();
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const double levels[] = {initial_lrs_[g], max_lrs_[g], min_lrs_[g]};
    lrs.push_back(anneal(options_.anneal_strategy(), levels[phase.start], levels[phase.end], pct));
    if (options_.cycle_momentum())
      *cycled_momentum(groups[g].options()) = anneal(options_.anneal_strategy(), momenta[i], momenta[i + 1], pct);
  }
  return lrs;
}

}  // namespace tg::optim
