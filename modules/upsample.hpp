// tg::nn::Upsample: F::interpolate (ops/interpolate.hpp) as a layer, as LibTorch's.
//
//   tg::nn::Upsample up(tg::nn::UpsampleOptions().scale_factor(std::vector<double>{2, 2}).mode(tg::kNearest));
//   tg::nn::Upsample up(tg::nn::UpsampleOptions().size(std::vector<std::int64_t>{28, 28}).mode(tg::kBilinear)
//                           .align_corners(false));
#pragma once

#include <ostream>

#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/module_holder.hpp>
#include <tapegrad/ops/interpolate.hpp>

namespace tg::nn {

// LibTorch's UpsampleOptions hold what F::InterpolateFuncOptions hold.
using UpsampleOptions = functional::InterpolateFuncOptions;

class UpsampleImpl : public Module {
 public:
  explicit UpsampleImpl(const UpsampleOptions& options = {}) : options_(options) {}
  Tensor forward(const Tensor& x) { return functional::interpolate(x, options_); }
  // "Upsample(scale_factor=[2, 2], mode=kNearest)", LibTorch's form.
  void pretty_print(std::ostream& stream) const override;
  const UpsampleOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<UpsampleImpl>(options_); }

 private:
  UpsampleOptions options_;
};
TG_MODULE(Upsample);

}  // namespace tg::nn
