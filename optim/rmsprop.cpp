#include <tapegrad/optim/rmsprop.hpp>

#include <string>

#include <xtensor/xbuilder.hpp>

#include <tapegrad/optim/detail/update_rules.hpp>

namespace tg::optim {

void RMSpropOptions::serialize(OptimizerArchive& archive) {
  archive.value("lr", lr_);
  archive.value("alpha", alpha_);
  archive.value("eps", eps_);
  archive.value("weight_decay", weight_decay_);
  archive.value("momentum", momentum_);
  archive.value("centered", centered_);
}

void RMSpropParamState::serialize(OptimizerArchive& archive) {
  archive.value("step", step_);
  archive.tensor("square_avg", square_avg_);
  archive.tensor("momentum_buffer", momentum_buffer_);
  archive.tensor("grad_avg", grad_avg_);
}

RMSprop::RMSprop(std::vector<OptimizerParamGroup> param_groups, RMSpropOptions defaults)
    : Optimizer(std::vector<OptimizerParamGroup>{}, std::make_unique<RMSpropOptions>(defaults)) {
  check_options(*defaults_);
  for (const auto& group : param_groups) add_param_group(group);
}

void RMSprop::check_options(const OptimizerOptions& options) const {
  const auto* o = dynamic_cast<const RMSpropOptions*>(&options);
  if (!o) throw Error("RMSprop: a parameter group has another optimizer's options (expected RMSpropOptions)");
  const std::pair<const char*, double> checks[] = {{"learning rate", o->lr()}, {"epsilon value", o->eps()},
                                                   {"momentum value", o->momentum()},
                                                   {"weight_decay value", o->weight_decay()},
                                                   {"alpha value", o->alpha()}};
  for (const auto& [what, v] : checks)
    if (!(v >= 0.0)) throw Error(std::string("RMSprop: invalid ") + what + " " + std::to_string(v) + " (expected >= 0)");
}

Variable<float> RMSprop::step(LossClosure closure) {
  Variable<float> loss = evaluate(closure);
  for (auto& group : param_groups_) {
    const auto& o = static_cast<const RMSpropOptions&>(group.options());
    const detail::RMSpropRule rule{o.lr(), o.alpha(), o.eps(), o.weight_decay(), o.momentum(), o.centered()};
    for (auto& p : group.params()) {
      if (!p.has_grad()) continue;
      auto zeros = [&] { return Array<float>(xt::zeros<float>(p.shape())); };
      auto& s = state_for<RMSpropParamState>(p, [&] { return RMSpropParamState().square_avg(zeros()); });
      // Buffers for options switched on after this parameter's first step start at zero.
      if (o.momentum() > 0 && !s.momentum_buffer()) s.momentum_buffer(zeros());
      if (o.centered() && !s.grad_avg()) s.grad_avg(zeros());
      check_state_size("RMSprop", p, s.square_avg());
      float* momentum_buffer = nullptr;
      float* grad_avg = nullptr;
      if (o.momentum() > 0) check_state_size("RMSprop", p, *s.momentum_buffer()), momentum_buffer = s.momentum_buffer()->data();
      if (o.centered()) check_state_size("RMSprop", p, *s.grad_avg()), grad_avg = s.grad_avg()->data();
      s.step(s.step() + 1);
      detail::rmsprop_update<float>(rule, p.numel(), p.value().data(), p.grad().data(), s.square_avg().data(),
                                    momentum_buffer, grad_avg);
    }
  }
  return loss;
}

}  // namespace tg::optim
