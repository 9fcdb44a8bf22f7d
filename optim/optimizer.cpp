#include <tapegrad/optim/optimizer.hpp>

#include <string>
#include <unordered_set>

#include <tapegrad/core/grad_mode.hpp>

namespace tg::optim {

OptimizerOptions& OptimizerParamGroup::options() {
  if (!options_) throw Error("optimizer: this parameter group has no options");
  return *options_;
}

const OptimizerOptions& OptimizerParamGroup::options() const {
  if (!options_) throw Error("optimizer: this parameter group has no options");
  return *options_;
}

Optimizer::Optimizer(std::vector<OptimizerParamGroup> param_groups, std::unique_ptr<OptimizerOptions> defaults)
    : defaults_(std::move(defaults)) {
  if (!defaults_) throw Error("optimizer: default options are null");
  for (const auto& group : param_groups) add_param_group(group);
}

void Optimizer::add_param_group(const OptimizerParamGroup& param_group) {
  OptimizerParamGroup group(param_group.params(),
                            param_group.has_options() ? param_group.options().clone() : defaults_->clone());
  check_options(group.options());
  check_new_parameters(group.params());
  param_groups_.push_back(std::move(group));
}

void Optimizer::add_parameters(const std::vector<Tensor>& parameters) {
  if (param_groups_.empty()) return add_param_group(OptimizerParamGroup(parameters));
  check_new_parameters(parameters);
  auto& first = param_groups_.front().params();
  first.insert(first.end(), parameters.begin(), parameters.end());
}

void Optimizer::check_new_parameters(const std::vector<Tensor>& parameters) const {
  std::unordered_set<const void*> seen;
  for (const auto& g : param_groups_)
    for (const auto& p : g.params()) seen.insert(state_key(p));
  std::size_t index = size();
  for (const auto& p : parameters) {
    const std::string which = "optimizer: parameter " + std::to_string(index++);
    if (!p.defined()) throw Error(which + " is undefined");
    if (!p.is_floating_point())
      throw Error(which + " has dtype " + to_string(p.scalar_type()) + "; expected Float or Double");
    if (!p.is_leaf()) {
      const char* op = p.scalar_type() == kFloat ? p.variable<float>().meta()->op : p.variable<double>().meta()->op;
      throw Error(which + " of shape " + shape_str(p.shape()) + " is not a leaf (it is the output of '" + op +
                  "'); pass the tensors the model owns");
    }
    if (!seen.insert(state_key(p)).second)
      throw Error(which + " of shape " + shape_str(p.shape()) +
                  " appears more than once (some parameters appear in more than one parameter group)");
  }
}

Tensor Optimizer::evaluate(const LossClosure& closure) {
  if (!closure) return {};
  struct EnableGrad {
    bool previous = GradMode::is_enabled();
    EnableGrad() { GradMode::set_enabled(true); }
    ~EnableGrad() { GradMode::set_enabled(previous); }
  } enable_grad;
  return closure();
}

void Optimizer::zero_grad(bool set_to_none) {
  for (auto& group : param_groups_)
    for (const auto& p : group.params()) tg::detail::zero_grad(p, set_to_none);
}

const void* Optimizer::state_key(const Tensor& parameter) {
  const void* key = nullptr;
  visit_parameter(parameter, [&](const auto& v) { key = v.meta().get(); });
  return key;
}

const std::vector<Tensor>& Optimizer::parameters() const {
  if (param_groups_.empty()) throw Error(name() + ": parameters(): the optimizer has no parameter groups");
  return param_groups_.front().params();
}

std::vector<Tensor>& Optimizer::parameters() {
  return const_cast<std::vector<Tensor>&>(static_cast<const Optimizer&>(*this).parameters());
}

std::size_t Optimizer::size() const noexcept {
  std::size_t n = 0;
  for (const auto& group : param_groups_) n += group.params().size();
  return n;
}

double Optimizer::lr() const {
  if (param_groups_.empty()) throw Error(name() + ": lr(): the optimizer has no parameter groups");
  return param_groups_.front().options().get_lr();
}

void Optimizer::set_lr(double lr) {
  if (!(lr >= 0.0)) throw Error(name() + ": invalid learning rate " + std::to_string(lr) + " (expected lr >= 0)");
  for (auto& group : param_groups_) group.options().set_lr(lr);
}

void Optimizer::check_options(const OptimizerOptions&) const {}

void check_state_size(const char* who, const Tensor& parameter, const Tensor& buffer) {
  if (buffer.scalar_type() != parameter.scalar_type())
    throw Error(std::string(who) + ": a " + to_string(parameter.scalar_type()) + " parameter of shape " +
                shape_str(parameter.shape()) + " has " + to_string(buffer.scalar_type()) + " state");
  if (buffer.numel() != parameter.numel())
    throw Error(std::string(who) + ": a parameter of shape " + shape_str(parameter.shape()) + " has state of shape " +
                shape_str(buffer.shape()) + "; was its value replaced by one of another shape after its first step?");
}

}  // namespace tg::optim
