// LibTorch's enum tags (torch/enum.h): tg::kReLU, tg::kFanIn, tg::kReflect, ... are objects of
// distinct empty types, so one name serves every option that accepts it (kLinear is a nonlinearity
// for init and kReLU one for init and for nn::RNN alike), and an option takes a std::variant of the
// tags it accepts (tg::nn::init::NonlinearityType). enum_name(v) gives the tag's name ("kReLU").
// The reductions kNone, kMean and kSum stay tg::Reduction's constants (ops/loss.hpp); kBatchMean, which
// only kl_div takes, is a tag here (KLDivLossOptions::reduction_t holds either).
#pragma once

#include <string>
#include <variant>

namespace tg {
namespace enumtype {

#define TG_ENUM_TAG(name)                         \
  struct name {                                   \
    static constexpr const char* kName = #name;   \
  };
TG_ENUM_TAG(kLinear)
TG_ENUM_TAG(kConv1D)
TG_ENUM_TAG(kConv2D)
TG_ENUM_TAG(kConv3D)
TG_ENUM_TAG(kConvTranspose1D)
TG_ENUM_TAG(kConvTranspose2D)
TG_ENUM_TAG(kConvTranspose3D)
TG_ENUM_TAG(kSigmoid)
TG_ENUM_TAG(kTanh)
TG_ENUM_TAG(kReLU)
TG_ENUM_TAG(kLeakyReLU)
TG_ENUM_TAG(kGELU)
TG_ENUM_TAG(kFanIn)
TG_ENUM_TAG(kFanOut)
TG_ENUM_TAG(kConstant)
TG_ENUM_TAG(kReflect)
TG_ENUM_TAG(kReplicate)
TG_ENUM_TAG(kCircular)
TG_ENUM_TAG(kNearest)
TG_ENUM_TAG(kBilinear)
TG_ENUM_TAG(kBatchMean)
#undef TG_ENUM_TAG

}  // namespace enumtype

inline constexpr enumtype::kLinear kLinear{};
inline constexpr enumtype::kConv1D kConv1D{};
inline constexpr enumtype::kConv2D kConv2D{};
inline constexpr enumtype::kConv3D kConv3D{};
inline constexpr enumtype::kConvTranspose1D kConvTranspose1D{};
inline constexpr enumtype::kConvTranspose2D kConvTranspose2D{};
inline constexpr enumtype::kConvTranspose3D kConvTranspose3D{};
inline constexpr enumtype::kSigmoid kSigmoid{};
inline constexpr enumtype::kTanh kTanh{};
inline constexpr enumtype::kReLU kReLU{};
inline constexpr enumtype::kLeakyReLU kLeakyReLU{};
inline constexpr enumtype::kGELU kGELU{};
inline constexpr enumtype::kFanIn kFanIn{};
inline constexpr enumtype::kFanOut kFanOut{};
inline constexpr enumtype::kConstant kConstant{};
inline constexpr enumtype::kReflect kReflect{};
inline constexpr enumtype::kReplicate kReplicate{};
inline constexpr enumtype::kCircular kCircular{};
inline constexpr enumtype::kNearest kNearest{};
inline constexpr enumtype::kBilinear kBilinear{};
inline constexpr enumtype::kBatchMean kBatchMean{};

// The name of the tag a variant holds, e.g. "kReflect".
template <class... Tags>
std::string enum_name(const std::variant<Tags...>& v) {
  return std::visit([](auto tag) { return std::string(decltype(tag)::kName); }, v);
}

}  // namespace tg
