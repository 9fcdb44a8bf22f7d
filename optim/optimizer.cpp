#include <tapegrad/optim/optimizer.hpp>

#include <string>

namespace tg::optim {
namespace {

void check_lr(double lr) {
  if (!(lr >= 0.0)) throw Error("optimizer: invalid learning rate " + std::to_string(lr) + " (expected lr >= 0)");
}

}  // namespace

Optimizer::Optimizer(std::vector<Variable<float>> parameters, double lr)
    : parameters_(std::move(parameters)), lr_(lr) {
  check_lr(lr);
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    const Variable<float>& p = parameters_[i];
    if (!p.defined()) throw Error("optimizer: parameter " + std::to_string(i) + " is undefined");
    if (!p.is_leaf())
      throw Error("optimizer: parameter " + std::to_string(i) + " of shape " + shape_str(p.shape()) +
                  " is not a leaf (it is the output of '" + p.meta()->op + "'); pass the tensors the model owns");
  }
}

void Optimizer::zero_grad() {
  for (auto& p : parameters_) p.zero_grad();
}

void Optimizer::set_lr(double lr) {
  check_lr(lr);
  lr_ = lr;
}

}  // namespace tg::optim
