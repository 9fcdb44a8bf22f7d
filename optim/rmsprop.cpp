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
  archive.optional_tensor("momentum_buffer", momentum_buffer_);
  archive.optional_tensor("grad_avg", grad_avg_);
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

Tensor RMSprop::step(LossClosure closure) {
  Tensor loss = evaluate(closure);
  for (auto& group : param_groups_) {
    const auto& o = static_cast<const RMSpropOptions&>(group.options());
    const detail::RMSpropRule rule{o.lr(), o.alpha(), o.eps(), o.weight_decay(), o.momentum(), o.centered()};
    for (auto& p : group.params())
      visit_parameter(p, [&](auto v) {
        using T = typename decltype(v)::value_type;
        if (!v.has_grad()) return;
        auto& s = state_for<RMSpropParamState>(p, [&] { return RMSpropParamState().square_avg(zero_state(v)); });
        // Buffers for options switched on after this parameter's first step start at zero.
        if (o.momentum() > 0 && !s.momentum_buffer().defined()) s.momentum_buffer(zero_state(v));
        if (o.centered() && !s.grad_avg().defined()) s.grad_avg(zero_state(v));
        check_state_size("RMSprop", p, s.square_avg());
        T* momentum_buffer = nullptr;
        T* grad_avg = nullptr;
        if (o.momentum() > 0) {
          check_state_size("RMSprop", p, s.momentum_buffer());
          momentum_buffer = s.momentum_buffer().template data_ptr<T>();
        }
        if (o.centered()) {
          check_state_size("RMSprop", p, s.grad_avg());
          grad_avg = s.grad_avg().template data_ptr<T>();
        }
        s.step(s.step() + 1);
        detail::rmsprop_update<T>(rule, v.numel(), v.value().data(), v.grad().data(),
                                  s.square_avg().template data_ptr<T>(), momentum_buffer, grad_avg);
      });
  }
  return loss;
}

}  // namespace tg::optim
