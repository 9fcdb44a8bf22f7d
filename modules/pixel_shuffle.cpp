#include <tapegrad/modules/pixel_shuffle.hpp>

namespace tg::nn {

void PixelShuffleImpl::pretty_print(std::ostream& stream) const {
  stream << "PixelShuffle(upscale_factor=" << options_.upscale_factor() << ")";
}

void PixelUnshuffleImpl::pretty_print(std::ostream& stream) const {
  stream << "PixelUnshuffle(downscale_factor=" << options_.downscale_factor() << ")";
}

}  // namespace tg::nn
