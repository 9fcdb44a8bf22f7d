// tg::optim::Optimizer: the base of every optimizer, as LibTorch 1.13's torch::optim::Optimizer. It
// holds parameter groups — each a list of parameters (shared handles, so it sees the model's buffers)
// with its own options — and a state per parameter (step count, moment buffers), created at the
// parameter's first step.
//
//   tg::optim::SGD opt(net->parameters(), tg::optim::SGDOptions(0.1).momentum(0.9));   // Float or Double
//   opt.zero_grad(); loss.backward(); opt.step();
//
//   std::vector<tg::optim::OptimizerParamGroup> groups;   // per-group options, as in LibTorch
//   groups.emplace_back(net->fc1->parameters(), std::make_unique<tg::optim::AdamOptions>(1e-4));
//   groups.emplace_back(net->fc2->parameters());           // this one takes the defaults
//   tg::optim::Adam adam(groups, tg::optim::AdamOptions(1e-3));
//
// Where tapegrad differs from LibTorch: every group's options are checked (LibTorch checks only the
// defaults); a parameter listed twice is always rejected (LibTorch only once it has state); state is
// keyed by the parameter's identity (its GradMeta), not by a string of its address, so a parameter
// converted by module->to() after some steps starts its state afresh; `lr()` and `set_lr()` are
// tapegrad's shorthands for the first group's lr and for setting every group's.
//
// Parameters may be Float or Double (a mix too): each step dispatches per parameter to the one typed
// update rule (optim/detail/update_rules.hpp), and a parameter's state buffers have its dtype.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include <xtensor/xbuilder.hpp>

#include <tapegrad/core/arg.hpp>
#include <tapegrad/core/tensor.hpp>

namespace tg::optim {

// Visits the fields of an optimizer's options or of a parameter's state by name: optim/serialize.cpp
// saves and loads through it. An optional tensor that is empty is simply absent from a checkpoint.
class OptimizerArchive {
 public:
  virtual ~OptimizerArchive() = default;
  virtual void value(const char* name, double& v) = 0;
  virtual void value(const char* name, bool& v) = 0;
  virtual void value(const char* name, std::tuple<double, double>& v) = 0;
  virtual void value(const char* name, std::int64_t& v) = 0;
  // A state buffer, of the parameter's dtype and shape.
  virtual void tensor(const char* name, Tensor& t) = 0;
  // The same, undefined when absent (AMSGrad's max_exp_avg_sq before amsgrad is switched on).
  virtual void optional_tensor(const char* name, Tensor& t) = 0;
};

class OptimizerOptions {
 public:
  virtual ~OptimizerOptions() = default;
  virtual std::unique_ptr<OptimizerOptions> clone() const = 0;
  virtual double get_lr() const = 0;
  virtual void set_lr(double lr) = 0;
  virtual void serialize(OptimizerArchive& archive) = 0;
};

template <class Derived>
class OptimizerCloneableOptions : public OptimizerOptions {
 public:
  std::unique_ptr<OptimizerOptions> clone() const override {
    return std::make_unique<Derived>(static_cast<const Derived&>(*this));
  }
  double get_lr() const override { return static_cast<const Derived&>(*this).lr(); }
  void set_lr(double lr) override { static_cast<Derived&>(*this).lr(lr); }
};

class OptimizerParamState {
 public:
  virtual ~OptimizerParamState() = default;
  virtual std::unique_ptr<OptimizerParamState> clone() const = 0;
  virtual void serialize(OptimizerArchive& archive) = 0;
};

template <class Derived>
class OptimizerCloneableParamState : public OptimizerParamState {
 public:
  std::unique_ptr<OptimizerParamState> clone() const override {
    return std::make_unique<Derived>(static_cast<const Derived&>(*this));
  }
};

// Parameters and, optionally, their own options (without, the optimizer's defaults apply).
class OptimizerParamGroup {
 public:
  OptimizerParamGroup(std::vector<Tensor> params) : params_(std::move(params)) {}
  OptimizerParamGroup(std::vector<Tensor> params, std::unique_ptr<OptimizerOptions> options)
      : params_(std::move(params)), options_(std::move(options)) {}
  OptimizerParamGroup(const OptimizerParamGroup& other)
      : params_(other.params_), options_(other.options_ ? other.options_->clone() : nullptr) {}
  OptimizerParamGroup(OptimizerParamGroup&&) = default;
  OptimizerParamGroup& operator=(const OptimizerParamGroup& other) { return *this = OptimizerParamGroup(other); }
  OptimizerParamGroup& operator=(OptimizerParamGroup&&) = default;

  bool has_options() const { return options_ != nullptr; }
  // Throws when the group has no options.
  OptimizerOptions& options();
  const OptimizerOptions& options() const;
  void set_options(std::unique_ptr<OptimizerOptions> options) { options_ = std::move(options); }
  std::vector<Tensor>& params() { return params_; }
  const std::vector<Tensor>& params() const { return params_; }

 private:
  std::vector<Tensor> params_;
  std::unique_ptr<OptimizerOptions> options_;
};

class Optimizer {
 public:
  // Returns the loss; step() calls it with grad mode on (LBFGS-style optimizers call it repeatedly).
  using LossClosure = std::function<Tensor()>;

  // Throws when a parameter is undefined, not a leaf (its value is recomputed by every forward pass,
  // so an update would be lost), or listed twice.
  Optimizer(std::vector<OptimizerParamGroup> param_groups, std::unique_ptr<OptimizerOptions> defaults);
  Optimizer(std::vector<Tensor> parameters, std::unique_ptr<OptimizerOptions> defaults)
      : Optimizer(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(parameters))}, std::move(defaults)) {}
  Optimizer(const Optimizer&) = delete;
  Optimizer(Optimizer&&) = default;
  virtual ~Optimizer() = default;

  // Adds a group (with the defaults when it has no options), checking its parameters and options.
  void add_param_group(const OptimizerParamGroup& param_group);
  // Adds parameters to the first group.
  void add_parameters(const std::vector<Tensor>& parameters);

  // One update of every parameter that has a gradient; parameters without one are left as they are.
  // Returns the closure's loss, or an undefined Tensor without a closure.
  virtual Tensor step(LossClosure closure = nullptr) = 0;
  // Zeroes every parameter's gradient in place, as LibTorch 1.13 does (a parameter that then gets
  // no gradient is still stepped, with a zero one); with set_to_none (LibTorch 2's default) frees
  // them instead, and step() skips a parameter until a backward gives it a gradient again.
  void zero_grad(bool set_to_none = false);

  // The first group's parameters (throws when there is no group).
  const std::vector<Tensor>& parameters() const;
  std::vector<Tensor>& parameters();
  // The number of parameters in all groups.
  std::size_t size() const noexcept;

  OptimizerOptions& defaults() noexcept { return *defaults_; }
  const OptimizerOptions& defaults() const noexcept { return *defaults_; }
  std::vector<OptimizerParamGroup>& param_groups() noexcept { return param_groups_; }
  const std::vector<OptimizerParamGroup>& param_groups() const noexcept { return param_groups_; }
  // Per-parameter state, keyed by state_key(parameter); a parameter has none before its first step.
  using State = std::unordered_map<const void*, std::unique_ptr<OptimizerParamState>>;
  State& state() noexcept { return state_; }
  const State& state() const noexcept { return state_; }
  static const void* state_key(const Tensor& parameter);

  // The first group's lr; set_lr sets every group's (throws when lr < 0).
  double lr() const;
  void set_lr(double lr);

  // The optimizer's name in messages and checkpoints ("Adam").
  virtual std::string name() const { return "Optimizer"; }
  // Throws unless `options` are this optimizer's kind and valid (as its constructor checks them).
  virtual void check_options(const OptimizerOptions& options) const;
  // A new, empty state of this optimizer's kind, which optim::load fills; nullptr when the optimizer
  // keeps no state that could be saved.
  virtual std::unique_ptr<OptimizerParamState> make_param_state() const { return nullptr; }

 protected:
  // Calls `closure` with grad mode on, as LibTorch's step does; an undefined Tensor without one.
  static Tensor evaluate(const LossClosure& closure);

  // The state of `parameter`, created by `init` on its first step.
  template <class S, class Init>
  S& state_for(const Tensor& parameter, Init&& init) {
    std::unique_ptr<OptimizerParamState>& slot = state_[state_key(parameter)];
    if (!slot) slot = std::make_unique<S>(init());
    return static_cast<S&>(*slot);
  }

  std::vector<OptimizerParamGroup> param_groups_;
  State state_;
  std::unique_ptr<OptimizerOptions> defaults_;

 private:
  // Throws unless each parameter is defined, a leaf, and in no group yet nor twice in `parameters`.
  void check_new_parameters(const std::vector<Tensor>& parameters) const;
};

// Throws naming `who` unless `buffer` has `parameter`'s dtype and as many elements (a parameter whose
// value was replaced by one of another shape after its state was made).
void check_state_size(const char* who, const Tensor& parameter, const Tensor& buffer);

// Calls f(v) with a handle to p's Variable<float> or Variable<double>: the typed half of a step.
template <class F>
void visit_parameter(const Tensor& p, F&& f) {
  if (p.scalar_type() == kDouble) f(Variable<double>(p.variable<double>()));
  else f(Variable<float>(p.variable<float>()));
}

// A new zero buffer of the shape of `parameter` and element type T.
template <class T>
Tensor zero_state(const Variable<T>& parameter) {
  return Tensor(Array<T>(xt::zeros<T>(parameter.shape())));
}

}  // namespace tg::optim
