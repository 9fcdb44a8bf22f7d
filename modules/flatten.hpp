// tg::nn::Flatten: merges dims start_dim..end_dim into one. Its defaults (1, -1) keep the batch dim,
// turning (N, C, H, W) into (N, C·H·W) between a conv stack and a Linear, as LibTorch's nn::Flatten.
#pragma once

#include <cstddef>

#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/module_holder.hpp>
#include <tapegrad/ops/tensor_ops.hpp>

namespace tg::nn {

class FlattenImpl : public Module {
 public:
  explicit FlattenImpl(std::ptrdiff_t start_dim = 1, std::ptrdiff_t end_dim = -1)
      : start_dim_(start_dim), end_dim_(end_dim) {}
  Tensor forward(const Tensor& x);
  void pretty_print(std::ostream& stream) const override;
  std::shared_ptr<Module> clone_structure() const override {
    return std::make_shared<FlattenImpl>(start_dim_, end_dim_);
  }

 private:
  std::ptrdiff_t start_dim_, end_dim_;
};
TG_MODULE(Flatten);

}  // namespace tg::nn
