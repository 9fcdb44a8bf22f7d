// Range check of integer indices (index_select, gather) and class targets (nll_loss, cross_entropy),
// so a bad value is an Error naming the op, the value and where it is, never an out-of-bounds read.
#pragma once

#include <cstdint>
#include <string>

#include <tapegrad/core/array.hpp>

namespace tg::detail {

// Throws unless every value is in [0, bound): "<op>: <what> 7 at position 2 is out of range for
// <range>, expected 0 <= <what> < 4". The position is a plain number for a 1-D tensor. `allowed`,
// when given, is one more accepted value (a loss's ignore_index), which the message then names.
inline void check_in_range(const char* op, const char* what, const Indices& values, std::size_t bound,
                           const std::string& range, const std::int64_t* allowed = nullptr) {
  const std::int64_t* v = values.data();
  for (std::size_t p = 0; p < values.size(); ++p) {
    if (v[p] >= 0 && static_cast<std::uint64_t>(v[p]) < bound) continue;
    if (allowed && v[p] == *allowed) continue;
    std::string position;
    if (values.dimension() == 1) {
      position = std::to_string(p);
    } else {
      Shape idx(values.dimension());
      for (std::size_t d = idx.size(), rest = p; d-- > 0; rest /= values.shape()[d]) idx[d] = rest % values.shape()[d];
      position = shape_str(idx);
    }
    throw Error(std::string(op) + ": " + what + " " + std::to_string(v[p]) + " at position " + position +
                " is out of range for " + range + ", expected 0 <= " + what + " < " + std::to_string(bound) +
                (allowed ? " or the ignore_index " + std::to_string(*allowed) : std::string()));
  }
}

}  // namespace tg::detail
