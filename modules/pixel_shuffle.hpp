// tg::nn::PixelShuffle and tg::nn::PixelUnshuffle: tg::pixel_shuffle and tg::pixel_unshuffle
// (ops/pixel_shuffle.hpp) as layers, as LibTorch's. A super-resolution or GAN generator's upsampling:
//
//   tg::nn::Sequential up(tg::nn::Conv2d(tg::nn::Conv2dOptions(64, 64 * 4, 3).padding(1)),
//                         tg::nn::PixelShuffle(2));   // (N, 64, H, W) -> (N, 64, 2H, 2W)
#pragma once

#include <memory>
#include <ostream>

#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/module_holder.hpp>
#include <tapegrad/ops/pixel_shuffle.hpp>

namespace tg::nn {

class PixelShuffleImpl : public Module {
 public:
  explicit PixelShuffleImpl(const PixelShuffleOptions& options) : options_(options) {}
  Tensor forward(const Tensor& x) { return tg::pixel_shuffle(x, options_.upscale_factor()); }
  // "PixelShuffle(upscale_factor=2)"
  void pretty_print(std::ostream& stream) const override;
  const PixelShuffleOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<PixelShuffleImpl>(options_); }

 private:
  PixelShuffleOptions options_;
};
TG_MODULE(PixelShuffle);

class PixelUnshuffleImpl : public Module {
 public:
  explicit PixelUnshuffleImpl(const PixelUnshuffleOptions& options) : options_(options) {}
  Tensor forward(const Tensor& x) { return tg::pixel_unshuffle(x, options_.downscale_factor()); }
  // "PixelUnshuffle(downscale_factor=2)"
  void pretty_print(std::ostream& stream) const override;
  const PixelUnshuffleOptions& options() const { return options_; }
  std::shared_ptr<Module> clone_structure() const override { return std::make_shared<PixelUnshuffleImpl>(options_); }

 private:
  PixelUnshuffleOptions options_;
};
TG_MODULE(PixelUnshuffle);

}  // namespace tg::nn
