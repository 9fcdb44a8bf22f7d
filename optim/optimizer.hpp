// tg::optim::Optimizer: the base of every optimizer, as LibTorch 1.13's torch::optim::Optimizer. It
// holds parameter groups — each a list of parameters (shared handles, so it sees the model's buffers)
// with its own options — and a state per parameter (step count, moment buffers), created at the
// parameter's first step.
//
//   tg::optim::SGD opt(net->parameters(), tg::optim::SGDOptions(0.1).momentum(0.9));
//   opt.zero_grad(); loss.backward(); opt.step();
//
//   std::vector<tg::optim::OptimizerParamGroup> groups;   // per-group options, as in LibTorch
//   groups.emplace_back(net->fc1->parameters(), std::make_unique<tg::optim::AdamOptions>(1e-4));
//   groups.emplace_back(net->fc2->parameters());           // this one takes the defaults
//   tg::optim::Adam adam(groups, tg::optim::AdamOptions(1e-3));
//
// Where tapegrad differs from LibTorch: every group's options are checked (LibTorch checks only the
// defaults); a parameter listed twice is always rejected (LibTorch only once it has state); state is
// keyed by the parameter's identity (its GradMeta), not by a string of its address; `lr()` and
// `set_lr()` are tapegrad's shorthands for the first group's lr and for setting every group's.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include <tapegrad/core/arg.hpp>
#include <tapegrad/core/variable.hpp>

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
  virtual void tensor(const char* name, Array<float>& t) = 0;
  virtual void tensor(const char* name, std::optional<Array<float>>& t) = 0;
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
  OptimizerParamGroup(std::vector<Variable<float>> params) : params_(std::move(params)) {}
  OptimizerParamGroup(std::vector<Variable<float>> params, std::unique_ptr<OptimizerOptions> options)
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
  std::vector<Variable<float>>& params() { return params_; }
  const std::vector<Variable<float>>& params() const { return params_; }

 private:
  std::vector<Variable<float>> params_;
  std::unique_ptr<OptimizerOptions> options_;
};

class Optimizer {
 public:
  // Returns the loss; step() calls it with grad mode on (LBFGS-style optimizers call it repeatedly).
  using LossClosure = std::function<Variable<float>()>;

  // Throws when a parameter is undefined, not a leaf (its value is recomputed by every forward pass,
  // so an update would be lost), or listed twice.
  Optimizer(std::vector<OptimizerParamGroup> param_groups, std::unique_ptr<OptimizerOptions> defaults);
  Optimizer(std::vector<Variable<float>> parameters, std::unique_ptr<OptimizerOptions> defaults)
      : Optimizer(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(parameters))}, std::move(defaults)) {}
  Optimizer(const Optimizer&) = delete;
  Optimizer(Optimizer&&) = default;
  virtual ~Optimizer() = default;

  // Adds a group (with the defaults when it has no options), checking its parameters and options.
  void add_param_group(const OptimizerParamGroup& param_group);
  // Adds parameters to the first group.
  void add_parameters(const std::vector<Variable<float>>& parameters);

  // One update of every parameter that has a gradient; parameters without one are left as they are.
  // Returns the closure's loss, or an undefined Variable without a closure.
  virtual Variable<float> step(LossClosure closure = nullptr) = 0;
  // Frees every parameter's gradient (LibTorch's set_to_none): the next backward writes it afresh.
  void zero_grad();

  // The first group's parameters (throws when there is no group).
  const std::vector<Variable<float>>& parameters() const;
  std::vector<Variable<float>>& parameters();
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
  static const void* state_key(const Variable<float>& parameter) { return parameter.meta().get(); }

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
  // Calls `closure` with grad mode on, as LibTorch's step does; an undefined Variable without one.
  static Variable<float> evaluate(const LossClosure& closure);

  // The state of `parameter`, created by `init` on its first step.
  template <class S, class Init>
  S& state_for(const Variable<float>& parameter, Init&& init) {
    std::unique_ptr<OptimizerParamState>& slot = state_[state_key(parameter)];
    if (!slot) slot = std::make_unique<S>(init());
    return static_cast<S&>(*slot);
  }

  std::vector<OptimizerParamGroup> param_groups_;
  State state_;
  std::unique_ptr<OptimizerOptions> defaults_;

 private:
  // Throws unless each parameter is defined, a leaf, and in no group yet nor twice in `parameters`.
  void check_new_parameters(const std::vector<Variable<float>>& parameters) const;
};

// Throws naming `who` unless `buffer` has as many elements as `parameter` (a parameter whose value
// was replaced by one of another shape after its state was made).
void check_state_size(const char* who, const Variable<float>& parameter, const Array<float>& buffer);

}  // namespace tg::optim
