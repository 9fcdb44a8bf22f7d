// tg::IntArrayRef: a list of sizes or dims, as LibTorch's functions take them: `{2, 3}`, one number
// (`x.sum(1)`, `max_pool2d(x, 2)`), a std::vector<int64_t> or a tg::Shape. Unlike c10's ArrayRef it
// owns its values, so the one returned by sizes() stays valid after the tensor is gone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <ostream>
#include <vector>

#include <tapegrad/core/array.hpp>

namespace tg {

class IntArrayRef {
 public:
  IntArrayRef() = default;
  IntArrayRef(std::int64_t one) : values_{one} {}
  IntArrayRef(std::initializer_list<std::int64_t> values) : values_(values) {}
  IntArrayRef(std::vector<std::int64_t> values) : values_(std::move(values)) {}
  IntArrayRef(const Shape& shape) : values_(shape.begin(), shape.end()) {}

  std::size_t size() const { return values_.size(); }
  bool empty() const { return values_.empty(); }
  std::int64_t operator[](std::size_t i) const { return values_[i]; }
  const std::int64_t* data() const { return values_.data(); }
  auto begin() const { return values_.begin(); }
  auto end() const { return values_.end(); }
  std::int64_t front() const { return values_.front(); }
  std::int64_t back() const { return values_.back(); }
  const std::vector<std::int64_t>& vec() const { return values_; }
  operator const std::vector<std::int64_t>&() const { return values_; }

  bool operator==(const IntArrayRef& o) const { return values_ == o.values_; }
  bool operator!=(const IntArrayRef& o) const { return values_ != o.values_; }

 private:
  std::vector<std::int64_t> values_;
};

// [2, 3], as LibTorch prints sizes.
inline std::ostream& operator<<(std::ostream& out, const IntArrayRef& a) {
  out << '[';
  for (std::size_t i = 0; i < a.size(); ++i) out << (i ? ", " : "") << a[i];
  return out << ']';
}

}  // namespace tg
