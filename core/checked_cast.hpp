// tg::detail::checked_cast: element conversion between the four dtypes, checked: a floating value that does not fit the
// integer type (NaN, inf, out of range) throws instead of being undefined behaviour.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <type_traits>

#include <tapegrad/core/array.hpp>

namespace tg::detail {

template <class To, class From>
To checked_cast(From v, const char* op) {
  if constexpr (std::is_same_v<To, bool>) {
    return v != From(0);
  } else if constexpr (std::is_floating_point_v<From> && std::is_integral_v<To>) {
    // 2^63 is exactly representable; every value in [-2^63, 2^63) fits int64.
    constexpr double limit = 9223372036854775808.0;
    if (!(std::isfinite(v) && double(v) >= -limit && double(v) < limit))
      throw Error(std::string(op) + ": value " + std::to_string(v) + " does not fit the integer type Long");
    return static_cast<To>(v);
  } else {
    return static_cast<To>(v);
  }
}

template <class To, class From>
Array<To> cast_array(const Array<From>& a, const char* op) {
  Array<To> out = Array<To>::from_shape(a.shape());
  const From* src = a.data();
  To* dst = out.data();
  for (std::size_t i = 0; i < a.size(); ++i) dst[i] = checked_cast<To>(src[i], op);
  return out;
}

}  // namespace tg::detail
