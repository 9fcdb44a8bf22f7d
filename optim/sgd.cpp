#include <tapegrad/optim/sgd.hpp>

#include <string>

#include <tapegrad/optim/detail/update_rules.hpp>

namespace tg::optim {

void SGDOptions::serialize(OptimizerArchive& archive) {
  archive.value("lr", lr_);
  archive.value("momentum", momentum_);
  archive.value("dampening", dampening_);
  archive.value("weight_decay", weight_decay_);
  archive.value("nesterov", nesterov_);
}

void SGDParamState::serialize(OptimizerArchive& archive) { archive.tensor("momentum_buffer", momentum_buffer_); }

SGD::SGD(std::vector<OptimizerParamGroup> param_groups, SGDOptions defaults)
    : Optimizer(std::vector<OptimizerParamGroup>{}, std::make_unique<SGDOptions>(defaults)) {
  check_options(*defaults_);
  for (const auto& group : param_groups) add_param_group(group);
}

void SGD::check_options(const OptimizerOptions& options) const {
  const auto* o = dynamic_cast<const SGDOptions*>(&options);
  if (!o) throw Error("SGD: a parameter group has another optimizer's options (expected SGDOptions)");
  auto fail = [](const std::string& what) { throw Error("SGD: " + what); };
  if (!(o->lr() >= 0.0)) fail("invalid learning rate " + std::to_string(o->lr()) + " (expected lr >= 0)");
  if (!(o->momentum() >= 0.0)) fail("invalid momentum " + std::to_string(o->momentum()) + " (expected momentum >= 0)");
  if (!(o->weight_decay() >= 0.0))
    fail("invalid weight_decay " + std::to_string(o->weight_decay()) + " (expected weight_decay >= 0)");
  if (o->nesterov() && !(o->momentum() > 0.0 && o->dampening() == 0.0))
    fail("nesterov momentum requires momentum > 0 and dampening == 0, got momentum " + std::to_string(o->momentum()) +
         " and dampening " + std::to_string(o->dampening()));
}

Tensor SGD::step(LossClosure closure) {
  Tensor loss = evaluate(closure);
  for (auto& group : param_groups_) {
    const auto& o = static_cast<const SGDOptions&>(group.options());
    const detail::SGDRule rule{o.lr(), o.momentum(), o.dampening(), o.weight_decay(), o.nesterov()};
    for (auto& p : group.params())
      visit_parameter(p, [&](auto v) {
        using T = typename decltype(v)::value_type;
        if (!v.has_grad()) return;
        T* buffer = nullptr;
        bool first = false;
        if (o.momentum() != 0) {
          auto& s = state_for<SGDParamState>(p, [&] {
            first = true;
            return SGDParamState().momentum_buffer(zero_state(v));
          });
          check_state_size("SGD", p, s.momentum_buffer());
          buffer = s.momentum_buffer().template data_ptr<T>();
        }
        detail::sgd_update<T>(rule, v.numel(), v.value().data(), v.grad().data(), buffer, first);
      });
  }
  return loss;
}

}  // namespace tg::optim
