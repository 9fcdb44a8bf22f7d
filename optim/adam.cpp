#include <tapegrad/optim/adam.hpp>

#include <string>

#include <xtensor/xbuilder.hpp>

#include <tapegrad/optim/adamw.hpp>
#include <tapegrad/optim/detail/update_rules.hpp>

namespace tg::optim {

void AdamOptions::serialize(OptimizerArchive& archive) {
  archive.value("lr", lr_);
  archive.value("betas", betas_);
  archive.value("eps", eps_);
  archive.value("weight_decay", weight_decay_);
  archive.value("amsgrad", amsgrad_);
}

void AdamParamState::serialize(OptimizerArchive& archive) {
  archive.value("step", step_);
  archive.tensor("exp_avg", exp_avg_);
  archive.tensor("exp_avg_sq", exp_avg_sq_);
  archive.optional_tensor("max_exp_avg_sq", max_exp_avg_sq_);
}

namespace detail {

template <class Options>
void check_adam_options(const char* who, const OptimizerOptions& options) {
  const auto* o = dynamic_cast<const Options*>(&options);
  auto fail = [&](const std::string& what) { throw Error(std::string(who) + ": " + what); };
  if (!o) fail(std::string("a parameter group has another optimizer's options (expected ") + who + "Options)");
  if (!(o->lr() >= 0.0)) fail("invalid learning rate " + std::to_string(o->lr()) + " (expected lr >= 0)");
  if (!(o->eps() >= 0.0)) fail("invalid epsilon value " + std::to_string(o->eps()) + " (expected eps >= 0)");
  const double betas[] = {std::get<0>(o->betas()), std::get<1>(o->betas())};
  for (int i = 0; i < 2; ++i)
    if (!(betas[i] >= 0.0 && betas[i] < 1.0))
      fail("invalid beta parameter at index " + std::to_string(i) + ": " + std::to_string(betas[i]) +
           " (expected 0 <= beta < 1)");
  if (!(o->weight_decay() >= 0.0))
    fail("invalid weight_decay value " + std::to_string(o->weight_decay()) + " (expected weight_decay >= 0)");
}

template <class Options>
void adam_family_step(Optimizer& optimizer, bool decoupled, const char* who) {
  for (auto& group : optimizer.param_groups()) {
    const auto& o = static_cast<const Options&>(group.options());
    for (auto& p : group.params())
      visit_parameter(p, [&](auto v) {
        using T = typename decltype(v)::value_type;
        if (!v.has_grad()) return;
        auto& slot = optimizer.state()[Optimizer::state_key(p)];
        if (!slot) {
          auto s = std::make_unique<AdamParamState>();
          s->exp_avg(zero_state(v)).exp_avg_sq(zero_state(v));
          if (o.amsgrad()) s->max_exp_avg_sq(zero_state(v));
          slot = std::move(s);
        }
        auto& s = static_cast<AdamParamState&>(*slot);
        check_state_size(who, p, s.exp_avg());
        check_state_size(who, p, s.exp_avg_sq());
        if (o.amsgrad() && !s.max_exp_avg_sq().defined())  // amsgrad switched on after this parameter's first step
          s.max_exp_avg_sq(zero_state(v));
        T* max_exp_avg_sq = nullptr;
        if (o.amsgrad()) {
          check_state_size(who, p, s.max_exp_avg_sq());
          max_exp_avg_sq = s.max_exp_avg_sq().template data_ptr<T>();
        }
        s.step(s.step() + 1);
        const detail::AdamRule rule{o.lr(), std::get<0>(o.betas()), std::get<1>(o.betas()), o.eps(), o.weight_decay(),
                                    decoupled, s.step()};
        detail::adam_update<T>(rule, v.numel(), v.value().data(), v.grad().data(), s.exp_avg().template data_ptr<T>(),
                               s.exp_avg_sq().template data_ptr<T>(), max_exp_avg_sq);
      });
  }
}

template void check_adam_options<AdamOptions>(const char*, const OptimizerOptions&);
template void check_adam_options<AdamWOptions>(const char*, const OptimizerOptions&);
template void adam_family_step<AdamOptions>(Optimizer&, bool, const char*);
template void adam_family_step<AdamWOptions>(Optimizer&, bool, const char*);

}  // namespace detail

Adam::Adam(std::vector<OptimizerParamGroup> param_groups, AdamOptions defaults)
    : Optimizer(std::vector<OptimizerParamGroup>{}, std::make_unique<AdamOptions>(defaults)) {
  check_options(*defaults_);
  for (const auto& group : param_groups) add_param_group(group);
}

void Adam::check_options(const OptimizerOptions& options) const { detail::check_adam_options<AdamOptions>("Adam", options); }

Tensor Adam::step(LossClosure closure) {
  Tensor loss = evaluate(closure);
  detail::adam_family_step<AdamOptions>(*this, /*decoupled=*/false, "Adam");
  return loss;
}

}  // namespace tg::optim
