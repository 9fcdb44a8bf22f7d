// tg::optim::Optimizer: the base of every optimizer. It holds the parameters it updates (shared
// handles, so it sees the same buffers as the model) and the learning rate, which a scheduler may
// change between steps.
//
//   tg::optim::SGD opt(net->parameters(), tg::optim::SGDOptions(0.1).momentum(0.9));
//   opt.zero_grad(); loss.backward(); opt.step();
#pragma once

#include <vector>

#include <tapegrad/core/variable.hpp>

namespace tg::optim {

class Optimizer {
 public:
  // Throws when lr < 0, or when a parameter is undefined or not a leaf (its value is recomputed by
  // every forward pass, so updating it would be lost).
  Optimizer(std::vector<Variable<float>> parameters, double lr);
  virtual ~Optimizer() = default;

  // Frees every parameter's gradient (LibTorch's set_to_none): the next backward writes it afresh.
  void zero_grad();
  // One update of every parameter that has a gradient; parameters without one are left as they are.
  virtual void step() = 0;

  double lr() const { return lr_; }
  void set_lr(double lr);

  const std::vector<Variable<float>>& parameters() const { return parameters_; }

 protected:
  std::vector<Variable<float>> parameters_;

 private:
  double lr_;
};

}  // namespace tg::optim
