// tg::ScalarType: a Tensor's runtime element type, spelled as LibTorch's (tg::kFloat, tg::kLong, ...).
// Floating tensors (Float, Double) carry autograd; Long and Bool tensors are labels, indices and
// comparison results, and never require grad.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <type_traits>

namespace tg {

enum class ScalarType : std::int8_t { Float, Double, Long, Bool };

constexpr ScalarType kFloat = ScalarType::Float;
constexpr ScalarType kFloat32 = ScalarType::Float;
constexpr ScalarType kF32 = ScalarType::Float;
constexpr ScalarType kDouble = ScalarType::Double;
constexpr ScalarType kFloat64 = ScalarType::Double;
constexpr ScalarType kF64 = ScalarType::Double;
constexpr ScalarType kLong = ScalarType::Long;
constexpr ScalarType kInt64 = ScalarType::Long;
constexpr ScalarType kI64 = ScalarType::Long;
constexpr ScalarType kBool = ScalarType::Bool;

// "Float", "Double", "Long", "Bool": as c10's toString, and what error messages name.
const char* to_string(ScalarType type);
std::ostream& operator<<(std::ostream& out, ScalarType type);

constexpr bool is_floating_point(ScalarType type) { return type == kFloat || type == kDouble; }

// torch.promote_types for these four: the first of Double, Float, Long that either is, else Bool.
constexpr ScalarType promote_types(ScalarType a, ScalarType b) {
  for (ScalarType t : {kDouble, kFloat, kLong})
    if (a == t || b == t) return t;
  return kBool;
}

// The C++ type of each ScalarType, and back.
template <class T> struct scalar_type_of;
template <> struct scalar_type_of<float> { static constexpr ScalarType value = kFloat; };
template <> struct scalar_type_of<double> { static constexpr ScalarType value = kDouble; };
template <> struct scalar_type_of<std::int64_t> { static constexpr ScalarType value = kLong; };
template <> struct scalar_type_of<bool> { static constexpr ScalarType value = kBool; };
template <class T> constexpr ScalarType scalar_type_v = scalar_type_of<T>::value;

}  // namespace tg
