// F::interpolate, as LibTorch's torch::nn::functional::interpolate, for the modes a model up- or
// down-samples with:
//
//   F::interpolate(x, F::InterpolateFuncOptions().scale_factor(std::vector<double>{2, 2}).mode(tg::kNearest));
//   F::interpolate(x, F::InterpolateFuncOptions().size(std::vector<std::int64_t>{7, 7}).mode(tg::kBilinear)
//                         .align_corners(false));
//
// kNearest on (N, C, L) or (N, C, H, W); kLinear on (N, C, L); kBilinear on (N, C, H, W). Exactly one
// of size (one entry per spatial dim) and scale_factor (likewise; the output is floor(in * factor)).
// Source positions follow ATen's: nearest reads floor(out * scale); linear and bilinear read the two
// neighbours of out * scale (align_corners) or (out + 0.5) * scale - 0.5 (clamped at 0), where scale
// is (in - 1) / (out - 1) with align_corners and else in / out, or 1 / scale_factor when one is given.
// A composite along one spatial dim at a time: index_select of the source rows, and for (bi)linear
// the two neighbours weighted and added, so its gradient is theirs.
// Where tapegrad differs: no bicubic, trilinear, area or nearest-exact; no recompute_scale_factor.
#pragma once

#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

#include <tapegrad/core/enum.hpp>
#include <tapegrad/core/tensor.hpp>

namespace tg::nn::functional {

struct InterpolateFuncOptions {
  using mode_t = std::variant<enumtype::kNearest, enumtype::kLinear, enumtype::kBilinear>;
  InterpolateFuncOptions& size(std::optional<std::vector<std::int64_t>> size) { return size_ = std::move(size), *this; }
  InterpolateFuncOptions& scale_factor(std::optional<std::vector<double>> factor) {
    return scale_factor_ = std::move(factor), *this;
  }
  InterpolateFuncOptions& mode(mode_t mode) { return mode_ = mode, *this; }
  InterpolateFuncOptions& align_corners(std::optional<bool> align) { return align_corners_ = align, *this; }
  const std::optional<std::vector<std::int64_t>>& size() const { return size_; }
  const std::optional<std::vector<double>>& scale_factor() const { return scale_factor_; }
  mode_t mode() const { return mode_; }
  std::optional<bool> align_corners() const { return align_corners_; }

 private:
  std::optional<std::vector<std::int64_t>> size_;
  std::optional<std::vector<double>> scale_factor_;
  mode_t mode_ = kNearest;
  std::optional<bool> align_corners_;
};

Tensor interpolate(const Tensor& input, const InterpolateFuncOptions& options = {});

}  // namespace tg::nn::functional
