#include <tapegrad/optim/adagrad.hpp>

#include <string>

#include <xtensor/xbuilder.hpp>

#include <tapegrad/optim/detail/update_rules.hpp>

namespace tg::optim {

void AdagradOptions::serialize(OptimizerArchive& archive) {
  archive.value("lr", lr_);
  archive.value("lr_decay", lr_decay_);
  archive.value("weight_decay", weight_decay_);
  archive.value("initial_accumulator_value", initial_accumulator_value_);
  archive.value("eps", eps_);
}

void AdagradParamState::serialize(OptimizerArchive& archive) {
  archive.tensor("sum", sum_);
  archive.value("step", step_);
}

Adagrad::Adagrad(std::vector<OptimizerParamGroup> param_groups, AdagradOptions defaults)
    : Optimizer(std::vector<OptimizerParamGroup>{}, std::make_unique<AdagradOptions>(defaults)) {
  check_options(*defaults_);
  for (const auto& group : param_groups) add_param_group(group);
}

void Adagrad::check_options(const OptimizerOptions& options) const {
  const auto* o = dynamic_cast<const AdagradOptions*>(&options);
  if (!o) throw Error("Adagrad: a parameter group has another optimizer's options (expected AdagradOptions)");
  const std::pair<const char*, double> checks[] = {{"learning rate", o->lr()},
                                                   {"lr_decay value", o->lr_decay()},
                                                   {"weight_decay value", o->weight_decay()},
                                                   {"initial_accumulator_value value", o->initial_accumulator_value()},
                                                   {"epsilon value", o->eps()}};
  for (const auto& [what, v] : checks)
    if (!(v >= 0.0)) throw Error(std::string("Adagrad: invalid ") + what + " " + std::to_string(v) + " (expected >= 0)");
}

Tensor Adagrad::step(LossClosure closure) {
  Tensor loss = evaluate(closure);
  // As LibTorch and PyTorch, every sum starts at the defaults' initial_accumulator_value.
  const double initial = static_cast<const AdagradOptions&>(*defaults_).initial_accumulator_value();
  for (auto& group : param_groups_) {
    const auto& o = static_cast<const AdagradOptions&>(group.options());
    for (auto& p : group.params())
      visit_parameter(p, [&](auto v) {
        using T = typename decltype(v)::value_type;
        if (!v.has_grad()) return;
        auto& s = state_for<AdagradParamState>(p, [&] {
          return AdagradParamState().sum(Tensor(Array<T>(xt::full_like(v.value(), static_cast<T>(initial)))));
        });
        check_state_size("Adagrad", p, s.sum());
        s.step(s.step() + 1);
        const detail::AdagradRule rule{o.lr(), o.lr_decay(), o.weight_decay(), o.eps(), s.step()};
        detail::adagrad_update<T>(rule, v.numel(), v.value().data(), v.grad().data(), s.sum().template data_ptr<T>());
      });
  }
  return loss;
}

}  // namespace tg::optim
