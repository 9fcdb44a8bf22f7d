// tg::nn::Flatten: merges dims start_dim..end_dim into one. Its defaults (1, -1) keep the batch dim,
// turning (N, C, H, W) into (N, C·H·W) between a conv stack and a Linear, as LibTorch's nn::Flatten.
// tg::nn::Unflatten undoes it, as LibTorch's (by sizes; not by named dims): in a decoder,
// Unflatten(UnflattenOptions(1, {64, 7, 7})) turns (N, 3136) into (N, 64, 7, 7).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include <tapegrad/core/arg.hpp>
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

struct UnflattenOptions {
  UnflattenOptions(std::int64_t dim, std::vector<std::int64_t> sizes) : dim_(dim), sizes_(std::move(sizes)) {}
  TG_ARG(std::int64_t, dim);
  TG_ARG(std::vector<std::int64_t>, sizes);  // one of them may be -1 (inferred)
};

class UnflattenImpl : public Module {
 public:
  explicit UnflattenImpl(UnflattenOptions options) : options_(std::move(options)) {}
  UnflattenImpl(std::int64_t dim, std::vector<std::int64_t> sizes)
      : UnflattenImpl(UnflattenOptions(dim, std::move(sizes))) {}
  Tensor forward(const Tensor& x);
  // "Unflatten(dim=1, unflattened_size={64, 7, 7})", LibTorch's form.
  void pretty_print(std::ostream& stream) const override;
  const UnflattenOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<UnflattenImpl>(options_); }

 private:
  UnflattenOptions options_;
};
TG_MODULE(Unflatten);

}  // namespace tg::nn
