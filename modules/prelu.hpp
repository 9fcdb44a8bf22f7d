// tg::nn::PReLU: x for x > 0, weight·x otherwise, with a learnt slope per channel (dim 1) or one
// shared, as LibTorch's.
//
//   tg::nn::PReLU act(tg::nn::PReLUOptions().num_parameters(16).init(0.1));
#pragma once

#include <cstdint>
#include <ostream>

#include <tapegrad/core/arg.hpp>
#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/module_holder.hpp>
#include <tapegrad/ops/tensor_ops.hpp>

namespace tg::nn {

struct PReLUOptions {
  TG_ARG(std::int64_t, num_parameters) = 1;  // 1 (shared) or the input's channel count
  TG_ARG(double, init) = 0.25;
};

class PReLUImpl : public Module {
 public:
  explicit PReLUImpl(const PReLUOptions& options = {});
  Tensor forward(const Tensor& x);
  // Every slope to options.init().
  void reset_parameters();
  void pretty_print(std::ostream& stream) const override;
  const PReLUOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<PReLUImpl>(options_); }

  Tensor weight;  // (num_parameters,)

 private:
  PReLUOptions options_;
};
TG_MODULE(PReLU);

}  // namespace tg::nn
