#include <tapegrad/modules/padding.hpp>

#include <tapegrad/ops/pad.hpp>

namespace tg::nn {

template <std::size_t D>
PadOptions<D>& PadOptions<D>::padding(IntArrayRef padding) {
  if (padding.size() == 1) padding_.assign(2 * D, padding[0]);
  else if (padding.size() == 2 * D) padding_ = padding.vec();
  else
    throw Error("Pad" + std::to_string(D) + "dOptions: expected one padding for every side or " +
                std::to_string(2 * D) + " (left, right" + (D == 2 ? ", top, bottom" : "") + "), got " +
                std::to_string(padding.size()) + " values");
  return *this;
}

namespace detail {

template <std::size_t D, class Mode, class Options>
Tensor PadLayer<D, Mode, Options>::forward(const Tensor& x) {
  if (x.dim() != static_cast<std::int64_t>(D) + 1 && x.dim() != static_cast<std::int64_t>(D) + 2)
    throw Error(std::string(name_) + ": expected a " + std::to_string(D + 1) + "-D or " + std::to_string(D + 2) +
                "-D input, got shape " + shape_str(x.sizes()));
  auto pad = functional::PadFuncOptions(options_.padding()).mode(Mode{});
  if constexpr (std::is_base_of_v<ConstantPadOptions<D>, Options>) pad.value(options_.value());
  return functional::pad(x, pad);
}

template <std::size_t D, class Mode, class Options>
void PadLayer<D, Mode, Options>::pretty_print(std::ostream& stream) const {
  stream << name_ << "(padding=" << IntArrayRef(options_.padding());
  if constexpr (std::is_base_of_v<ConstantPadOptions<D>, Options>) stream << ", value=" << options_.value();
  stream << ")";
}

template class PadLayer<1, enumtype::kReflect, ReflectionPad1dOptions>;
template class PadLayer<2, enumtype::kReflect, ReflectionPad2dOptions>;
template class PadLayer<1, enumtype::kReplicate, ReplicationPad1dOptions>;
template class PadLayer<2, enumtype::kReplicate, ReplicationPad2dOptions>;
template class PadLayer<2, enumtype::kConstant, ZeroPad2dOptions>;
template class PadLayer<1, enumtype::kConstant, ConstantPad1dOptions>;
template class PadLayer<2, enumtype::kConstant, ConstantPad2dOptions>;

}  // namespace detail

template class PadOptions<1>;
template class PadOptions<2>;

}  // namespace tg::nn
