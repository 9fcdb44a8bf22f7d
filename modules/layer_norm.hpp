// tg::nn::LayerNorm: normalises each sample over its last dims, with a learnt elementwise scale and
// shift, as LibTorch's.
//
//   tg::nn::LayerNorm norm(tg::nn::LayerNormOptions({50}));
#pragma once

#include <cstdint>
#include <vector>

#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/module_holder.hpp>
#include <tapegrad/ops/tensor_ops.hpp>

namespace tg::nn {

class LayerNormOptions {
 public:
  LayerNormOptions(std::vector<std::int64_t> normalized_shape)  // NOLINT: implicit, as LibTorch's
      : normalized_shape_(std::move(normalized_shape)) {}

  LayerNormOptions& normalized_shape(std::vector<std::int64_t> shape) { return normalized_shape_ = std::move(shape), *this; }
  LayerNormOptions& eps(double eps) { return eps_ = eps, *this; }
  LayerNormOptions& elementwise_affine(bool affine) { return elementwise_affine_ = affine, *this; }

  const std::vector<std::int64_t>& normalized_shape() const { return normalized_shape_; }
  double eps() const { return eps_; }
  bool elementwise_affine() const { return elementwise_affine_; }

 private:
  std::vector<std::int64_t> normalized_shape_;
  double eps_ = 1e-5;
  bool elementwise_affine_ = true;
};

class LayerNormImpl : public Module {
 public:
  explicit LayerNormImpl(const LayerNormOptions& options);

  // x (*, normalized_shape) -> x's shape.
  Tensor forward(const Tensor& x);
  // weight 1, bias 0, as LibTorch.
  void reset_parameters();
  void pretty_print(std::ostream& stream) const override;
  const LayerNormOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<LayerNormImpl>(options_); }

  Tensor weight, bias;  // normalized_shape; undefined without elementwise_affine

 private:
  LayerNormOptions options_;
  Shape shape_;
};
TG_MODULE(LayerNorm);

}  // namespace tg::nn
