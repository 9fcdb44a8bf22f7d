// tg::nn::Dropout, Dropout2d: dropout while training, the identity after eval() (LibTorch's layers).
//
//   tg::nn::Dropout drop(0.5);
//   tg::nn::Dropout2d channel_drop(tg::nn::Dropout2dOptions(0.2));
#pragma once

#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/module_holder.hpp>
#include <tapegrad/ops/tensor_ops.hpp>

namespace tg::nn {

class DropoutOptions {
 public:
  DropoutOptions(double p = 0.5) : p_(p) {}  // NOLINT: implicit, as LibTorch's

  DropoutOptions& p(double p) { return p_ = p, *this; }
  // Accepted for LibTorch's sake and ignored: the result is always a new tensor.
  DropoutOptions& inplace(bool inplace) { return inplace_ = inplace, *this; }
  double p() const { return p_; }
  bool inplace() const { return inplace_; }

 private:
  double p_;
  bool inplace_ = false;
};
using Dropout2dOptions = DropoutOptions;

// Zeroes each element with probability p and scales the rest by 1/(1-p) (tg::dropout).
class DropoutImpl : public Module {
 public:
  explicit DropoutImpl(const DropoutOptions& options = {});
  Tensor forward(const Tensor& x);
  void pretty_print(std::ostream& stream) const override;
  const DropoutOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<DropoutImpl>(options_); }

 private:
  DropoutOptions options_;
};
TG_MODULE(Dropout);

// Zeroes whole channels of (N, C, H, W) or (C, H, W) inputs (tg::dropout2d).
class Dropout2dImpl : public Module {
 public:
  explicit Dropout2dImpl(const Dropout2dOptions& options = {});
  Tensor forward(const Tensor& x);
  void pretty_print(std::ostream& stream) const override;
  const Dropout2dOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<Dropout2dImpl>(options_); }

 private:
  Dropout2dOptions options_;
};
TG_MODULE(Dropout2d);


}  // namespace tg::nn
