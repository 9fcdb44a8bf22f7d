// Activation layers, for Sequential: ReLU, LeakyReLU, Tanh, Sigmoid, GELU, Softmax, LogSoftmax, GLU
// and Identity, each wrapping its op.
#pragma once

#include <cstdint>

#include <tapegrad/core/arg.hpp>
#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/module_holder.hpp>
#include <tapegrad/ops/activation_options.hpp>
#include <tapegrad/ops/gelu.hpp>
#include <tapegrad/ops/tensor_ops.hpp>

namespace tg::nn {

// max(x, 0), elementwise. ReLU(ReLUOptions().inplace(true)) is accepted; the result is a new tensor.
class ReLUImpl : public Module {
 public:
  explicit ReLUImpl(const ReLUOptions& options = {}) : options_(options) {}
  Tensor forward(const Tensor& x);
  void pretty_print(std::ostream& stream) const override;
  const ReLUOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<ReLUImpl>(options_); }

 private:
  ReLUOptions options_;
};
TG_MODULE(ReLU);

// x for x > 0, negative_slope·x otherwise: LeakyReLU(LeakyReLUOptions().negative_slope(0.2)) as
// LibTorch's, or LeakyReLU(0.2). `inplace` is accepted; the result is always a new tensor.
class LeakyReLUImpl : public Module {
 public:
  explicit LeakyReLUImpl(const LeakyReLUOptions& options = {}) : options_(options) {}
  explicit LeakyReLUImpl(double negative_slope) : options_(LeakyReLUOptions().negative_slope(negative_slope)) {}
  Tensor forward(const Tensor& x);
  void pretty_print(std::ostream& stream) const override;

  const LeakyReLUOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<LeakyReLUImpl>(options_); }
  double negative_slope() const { return options_.negative_slope(); }

 private:
  LeakyReLUOptions options_;
};
TG_MODULE(LeakyReLU);

}  // namespace tg::nn

namespace tg::nn {

// tanh(x), elementwise.
class TanhImpl : public Module {
 public:
  Tensor forward(const Tensor& x);
  void pretty_print(std::ostream& stream) const override;
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<TanhImpl>(); }
};
TG_MODULE(Tanh);

// 1 / (1 + e^-x), elementwise.
class SigmoidImpl : public Module {
 public:
  Tensor forward(const Tensor& x);
  void pretty_print(std::ostream& stream) const override;
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<SigmoidImpl>(); }
};
TG_MODULE(Sigmoid);

// x·Φ(x) or its tanh approximation (tg::gelu).
class GELUImpl : public Module {
 public:
  explicit GELUImpl(const GELUOptions& options = {}) : options_(options) {}
  Tensor forward(const Tensor& x);
  void pretty_print(std::ostream& stream) const override;
  const GELUOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<GELUImpl>(options_); }

 private:
  GELUOptions options_;
};
TG_MODULE(GELU);

class SoftmaxOptions {
 public:
  SoftmaxOptions(std::int64_t dim) : dim_(dim) {}  // NOLINT: implicit, as LibTorch's
  SoftmaxOptions& dim(std::int64_t dim) { return dim_ = dim, *this; }
  std::int64_t dim() const { return dim_; }

 private:
  std::int64_t dim_;
};
using LogSoftmaxOptions = SoftmaxOptions;

// softmax along options.dim().
class SoftmaxImpl : public Module {
 public:
  explicit SoftmaxImpl(const SoftmaxOptions& options) : options_(options) {}
  Tensor forward(const Tensor& x);
  void pretty_print(std::ostream& stream) const override;
  const SoftmaxOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<SoftmaxImpl>(options_); }

 private:
  SoftmaxOptions options_;
};
TG_MODULE(Softmax);

// log_softmax along options.dim().
class LogSoftmaxImpl : public Module {
 public:
  explicit LogSoftmaxImpl(const LogSoftmaxOptions& options) : options_(options) {}
  Tensor forward(const Tensor& x);
  void pretty_print(std::ostream& stream) const override;
  const LogSoftmaxOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<LogSoftmaxImpl>(options_); }

 private:
  LogSoftmaxOptions options_;
};
TG_MODULE(LogSoftmax);

// tg::glu along options.dim() (default -1, the last).
class GLUImpl : public Module {
 public:
  explicit GLUImpl(const GLUOptions& options = {}) : options_(options) {}
  Tensor forward(const Tensor& x);
  void pretty_print(std::ostream& stream) const override;
  const GLUOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<GLUImpl>(options_); }

 private:
  GLUOptions options_;
};
TG_MODULE(GLU);

// Returns its input (the same tensor), as LibTorch's: a placeholder in a Sequential.
class IdentityImpl : public Module {
 public:
  Tensor forward(const Tensor& x) { return x; }
  void pretty_print(std::ostream& stream) const override;
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<IdentityImpl>(); }
};
TG_MODULE(Identity);

}  // namespace tg::nn
