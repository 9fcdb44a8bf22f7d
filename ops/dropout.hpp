// Dropout: in training, each element (dropout) or each whole channel (dropout2d) is zeroed with
// probability p and the survivors are scaled by 1/(1-p), so the expected value is unchanged; out of
// training both are the identity. The masks come from this thread's engine (core/random.hpp), so
// tg::manual_seed repeats them.
#pragma once

#include <tapegrad/core/tensor.hpp>
#include <tapegrad/core/variable.hpp>

namespace tg {

// torch::dropout(x, p, training). p in [0, 1]; p = 1 zeroes everything.
template <class T>
Variable<T> dropout(const Variable<T>& x, double p = 0.5, bool training = true);

// torch::nn::functional::dropout2d as LibTorch 1.13's C++ frontend does it: x (N, C, H, W) has one
// draw per (n, c) plane, an unbatched x (C, H, W) one per channel. Other ranks are rejected (LibTorch
// would treat them as unbatched).
template <class T>
Variable<T> dropout2d(const Variable<T>& x, double p = 0.5, bool training = true);

}  // namespace tg

namespace tg::nn::functional {

// F::dropout(x, F::DropoutFuncOptions().p(0.2).training(is_training())); inplace is accepted and
// ignored: the result is always a new tensor.
struct DropoutFuncOptions {
  DropoutFuncOptions& p(double p) { return p_ = p, *this; }
  DropoutFuncOptions& training(bool training) { return training_ = training, *this; }
  DropoutFuncOptions& inplace(bool inplace) { return inplace_ = inplace, *this; }
  double p() const { return p_; }
  bool training() const { return training_; }
  bool inplace() const { return inplace_; }

 private:
  double p_ = 0.5;
  bool training_ = true;
  bool inplace_ = false;
};
using Dropout2dFuncOptions = DropoutFuncOptions;

template <class T>
Variable<T> dropout(const Variable<T>& x, const DropoutFuncOptions& options) {
  return tg::dropout(x, options.p(), options.training());
}
template <class T>
Variable<T> dropout2d(const Variable<T>& x, const Dropout2dFuncOptions& options) {
  return tg::dropout2d(x, options.p(), options.training());
}
// The same on a Float or Double tensor (tg::dropout, tg::feature_dropout).
Tensor dropout(const Tensor& x, const DropoutFuncOptions& options = {});
Tensor dropout2d(const Tensor& x, const Dropout2dFuncOptions& options = {});

}  // namespace tg::nn::functional
