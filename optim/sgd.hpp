// Stochastic gradient descent with momentum, dampening, Nesterov momentum and weight decay: LibTorch
// 1.13's torch::optim::SGD, option for option and update for update.
#pragma once

#include <vector>

#include <tapegrad/optim/optimizer.hpp>

namespace tg::optim {

// Builder-style options, as in LibTorch: SGDOptions(0.1).momentum(0.9).nesterov(true).
class SGDOptions {
 public:
  explicit SGDOptions(double lr) : lr_(lr) {}

  SGDOptions& lr(double v) { lr_ = v; return *this; }
  SGDOptions& momentum(double v) { momentum_ = v; return *this; }
  SGDOptions& dampening(double v) { dampening_ = v; return *this; }
  SGDOptions& nesterov(bool v) { nesterov_ = v; return *this; }
  SGDOptions& weight_decay(double v) { weight_decay_ = v; return *this; }

  double lr() const { return lr_; }
  double momentum() const { return momentum_; }
  double dampening() const { return dampening_; }
  bool nesterov() const { return nesterov_; }
  double weight_decay() const { return weight_decay_; }

 private:
  double lr_;
  double momentum_ = 0.0;
  double dampening_ = 0.0;
  bool nesterov_ = false;
  double weight_decay_ = 0.0;
};

class SGD : public Optimizer {
 public:
  // Throws (as LibTorch does) unless lr >= 0, momentum >= 0, weight_decay >= 0, and, with nesterov,
  // momentum > 0 and dampening == 0.
  SGD(std::vector<Variable<float>> parameters, const SGDOptions& options);

  // For each parameter p with gradient g:
  //   d = g + weight_decay * p
  //   with momentum: buf = d on p's first step, else momentum * buf + (1 - dampening) * d;
  //                  d = nesterov ? d + momentum * buf : buf
  //   p -= lr * d
  void step() override;

  // The options in force (lr as last set by set_lr).
  SGDOptions options() const;

 private:
  SGDOptions options_;
  std::vector<std::vector<float>> momentum_buffers_;  // per parameter; empty until its first step
};

}  // namespace tg::optim
