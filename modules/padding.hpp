// Padding layers, as LibTorch's: F::pad (ops/pad.hpp) with its mode and amounts fixed.
//
//   tg::nn::ReflectionPad2d pad(1);                                   // 1 on every side of H and W
//   tg::nn::ZeroPad2d pad(tg::nn::ZeroPad2dOptions({1, 2, 0, 3}));    // left, right, top, bottom
//   tg::nn::ConstantPad1d pad(tg::nn::ConstantPad1dOptions(2, -1.0)); // value -1
//
// xPad1d pads the last dim of (N, C, L) or (C, L); xPad2d the last two of (N, C, H, W) or (C, H, W).
// The padding is one number for every side, or (left, right) for 1-D and (left, right, top, bottom)
// for 2-D.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <ostream>
#include <string>
#include <vector>

#include <tapegrad/core/enum.hpp>
#include <tapegrad/core/int_array_ref.hpp>
#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/module_holder.hpp>

namespace tg::nn {

// The padding of a D-dimensional padding layer: 2·D amounts, as LibTorch's ExpandingArray<2·D>.
template <std::size_t D>
class PadOptions {
 public:
  // Implicit, as LibTorch's, so that ReflectionPad2d(1) and ZeroPad2d({1, 2, 0, 3}) build one.
  PadOptions(std::int64_t padding) { this->padding(padding); }                      // NOLINT
  PadOptions(std::initializer_list<std::int64_t> padding) { this->padding(padding); }  // NOLINT
  PadOptions(std::vector<std::int64_t> padding) { this->padding(std::move(padding)); }  // NOLINT
  PadOptions& padding(IntArrayRef padding);
  const std::vector<std::int64_t>& padding() const { return padding_; }

 private:
  std::vector<std::int64_t> padding_;
};

template <std::size_t D>
class ConstantPadOptions : public PadOptions<D> {
 public:
  ConstantPadOptions(IntArrayRef padding, double value) : PadOptions<D>(padding), value_(value) {}
  ConstantPadOptions& value(double value) { return value_ = value, *this; }
  double value() const { return value_; }

 private:
  double value_;
};

using ReflectionPad1dOptions = PadOptions<1>;
using ReflectionPad2dOptions = PadOptions<2>;
using ReplicationPad1dOptions = PadOptions<1>;
using ReplicationPad2dOptions = PadOptions<2>;
using ZeroPad2dOptions = PadOptions<2>;
using ConstantPad1dOptions = ConstantPadOptions<1>;
using ConstantPad2dOptions = ConstantPadOptions<2>;

namespace detail {

// One padding layer: F::pad with `Mode` on the input's last D dims (rank D + 1 or D + 2).
template <std::size_t D, class Mode, class Options>
class PadLayer : public Module {
 public:
  PadLayer(const Options& options, const char* name) : options_(options), name_(name) {}
  Tensor forward(const Tensor& x);
  void pretty_print(std::ostream& stream) const override;
  const Options& options() const { return options_; }

 private:
  Options options_;
  const char* name_;
};

}  // namespace detail

#define TG_PAD_LAYER(Name, D, Mode, Options)                                                        \
  class Name##Impl : public detail::PadLayer<D, enumtype::Mode, Options> {                          \
   public:                                                                                          \
    explicit Name##Impl(const Options& options) : detail::PadLayer<D, enumtype::Mode, Options>(options, #Name) {} \
    std::shared_ptr<Module> clone_structure() const override { return std::make_shared<Name##Impl>(this->options()); } \
  };                                                                                                \
  TG_MODULE(Name);
TG_PAD_LAYER(ReflectionPad1d, 1, kReflect, ReflectionPad1dOptions)
TG_PAD_LAYER(ReflectionPad2d, 2, kReflect, ReflectionPad2dOptions)
TG_PAD_LAYER(ReplicationPad1d, 1, kReplicate, ReplicationPad1dOptions)
TG_PAD_LAYER(ReplicationPad2d, 2, kReplicate, ReplicationPad2dOptions)
TG_PAD_LAYER(ZeroPad2d, 2, kConstant, ZeroPad2dOptions)
TG_PAD_LAYER(ConstantPad1d, 1, kConstant, ConstantPad1dOptions)
TG_PAD_LAYER(ConstantPad2d, 2, kConstant, ConstantPad2dOptions)
#undef TG_PAD_LAYER

}  // namespace tg::nn
