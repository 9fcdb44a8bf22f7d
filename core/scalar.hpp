// tg::Scalar: one number that remembers whether it was an integer, a floating value or a bool (c10's
// Scalar). It is what item() returns and what full(), fill_() and the scalar operators take, so that
// long_tensor * 2 stays Long while long_tensor * 2.5 becomes Float, as in LibTorch.
#pragma once

#include <cstdint>
#include <ostream>
#include <type_traits>

#include <tapegrad/core/scalar_type.hpp>

namespace tg {

class Scalar {
 public:
  Scalar() : Scalar(std::int64_t{0}) {}
  Scalar(bool v) : type_(kBool), i_(v) {}
  Scalar(double v) : type_(kDouble), d_(v) {}
  Scalar(float v) : type_(kDouble), d_(v) {}
  template <class I, std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, bool>, int> = 0>
  Scalar(I v) : type_(kLong), i_(static_cast<std::int64_t>(v)) {}

  bool isFloatingPoint() const { return type_ == kDouble; }
  bool isIntegral(bool include_bool) const { return type_ == kLong || (include_bool && type_ == kBool); }
  bool isBoolean() const { return type_ == kBool; }
  // Double, Long or Bool: the kind of number held (a float argument is held as a double).
  ScalarType type() const { return type_; }

  template <class T>
  T to() const {
    return type_ == kDouble ? static_cast<T>(d_) : static_cast<T>(i_);
  }
  double toDouble() const { return to<double>(); }
  float toFloat() const { return to<float>(); }
  std::int64_t toLong() const { return to<std::int64_t>(); }
  bool toBool() const { return to<bool>(); }

 private:
  ScalarType type_;
  union {
    double d_;
    std::int64_t i_;
  };
};

inline std::ostream& operator<<(std::ostream& out, const Scalar& s) {
  if (s.isBoolean()) return out << (s.toBool() ? "true" : "false");
  if (s.isFloatingPoint()) return out << s.toDouble();
  return out << s.toLong();
}

}  // namespace tg
