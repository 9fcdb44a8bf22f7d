// F::pad, as LibTorch's torch::nn::functional::pad:
//
//   F::pad(x, F::PadFuncOptions({1, 2}));                              // last dim: 1 zero before, 2 after
//   F::pad(img, F::PadFuncOptions({1, 1, 1, 1}).mode(tg::kReflect));   // H and W of (N, C, H, W)
//
// `pad` holds (before, after) pairs from the last dim backwards, at most one pair per dim. Modes
// (core/enum.hpp): kConstant fills with `value` and takes negative amounts as crops; kReflect mirrors
// without repeating the edge (each amount below the dim's size); kReplicate repeats the edge;
// kCircular wraps around (each amount at most the dim's size). A composite: cat with constant blocks
// and narrow (kConstant), index_select with the source position of every output position (the
// others), so its gradient is theirs: a reflected or wrapped element sums the gradients of its copies.
// Where tapegrad differs: LibTorch pads with kReflect, kReplicate and kCircular only the last 1-3 dims
// of a 2-D to 5-D input; here any dims a pair reaches.
#pragma once

#include <cstdint>
#include <variant>
#include <vector>

#include <tapegrad/core/enum.hpp>
#include <tapegrad/core/tensor.hpp>

namespace tg::nn::functional {

struct PadFuncOptions {
  using mode_t = std::variant<enumtype::kConstant, enumtype::kReflect, enumtype::kReplicate, enumtype::kCircular>;
  PadFuncOptions(std::vector<std::int64_t> pad) : pad_(std::move(pad)) {}
  PadFuncOptions& pad(std::vector<std::int64_t> pad) { return pad_ = std::move(pad), *this; }
  PadFuncOptions& mode(mode_t mode) { return mode_ = mode, *this; }
  PadFuncOptions& value(double value) { return value_ = value, *this; }
  const std::vector<std::int64_t>& pad() const { return pad_; }
  mode_t mode() const { return mode_; }
  double value() const { return value_; }

 private:
  std::vector<std::int64_t> pad_;
  mode_t mode_ = kConstant;
  double value_ = 0;
};

Tensor pad(const Tensor& input, const PadFuncOptions& options);

}  // namespace tg::nn::functional
