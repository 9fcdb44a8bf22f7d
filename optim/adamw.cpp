#include <tapegrad/optim/adamw.hpp>

namespace tg::optim {

void AdamWOptions::serialize(OptimizerArchive& archive) {
  archive.value("lr", lr_);
  archive.value("betas", betas_);
  archive.value("eps", eps_);
  archive.value("weight_decay", weight_decay_);
  archive.value("amsgrad", amsgrad_);
}

AdamW::AdamW(std::vector<OptimizerParamGroup> param_groups, AdamWOptions defaults)
    : Optimizer(std::vector<OptimizerParamGroup>{}, std::make_unique<AdamWOptions>(defaults)) {
  check_options(*defaults_);
  for (const auto& group : param_groups) add_param_group(group);
}

void AdamW::check_options(const OptimizerOptions& options) const {
  detail::check_adam_options<AdamWOptions>("AdamW", options);
}

Tensor AdamW::step(LossClosure closure) {
  Tensor loss = evaluate(closure);
  detail::adam_family_step<AdamWOptions>(*this, /*decoupled=*/true, "AdamW");
  return loss;
}

}  // namespace tg::optim
