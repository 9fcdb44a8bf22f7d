// LibTorch's tensor indexing: x.index({...}) reads, x.index_put_({...}, v) writes, with the
// indices of Python's x[...]:
//
//   using namespace tg::indexing;
//   x.index({Slice(), 0})                  // x[:, 0]
//   x.index({Slice(1, None, 2), Ellipsis}) // x[1::2, ...]
//   x.index({None, -1})                    // x[None, -1]
//   x.index({tg::tensor({2, 0})})          // x[[2, 0]]: a Long (or Bool mask) 1-D tensor, once
//   x.index_put_({Slice(), 0}, 0.0);       // x[:, 0] = 0
//
// A read is composed of select, narrow, index_select and unsqueeze, so it is differentiable and, as
// every tapegrad op, a copy (never a view: writing into it leaves x as it was). A write is in place
// (a leaf that requires grad: under NoGradGuard only, as every in-place op here). Not taken: more
// than one tensor index (NumPy's advanced indexing broadcasts them together), bool indices, and a
// step other than a positive one.
#pragma once

#include <cstdint>
#include <optional>

#include <tapegrad/core/tensor.hpp>

namespace tg::indexing {

constexpr std::nullopt_t None = std::nullopt;  // a new dim of size 1; in a Slice, "from the start" or "to the end"

struct EllipsisIndexType {};
constexpr EllipsisIndexType Ellipsis{};  // as many whole dims as the other indices leave

// start:stop:step; a negative start or stop counts from the end, and both are clamped to the dim.
class Slice {
 public:
  Slice(std::optional<std::int64_t> start = None, std::optional<std::int64_t> stop = None,
        std::optional<std::int64_t> step = None)
      : start_(start), stop_(stop), step_(step) {}
  const std::optional<std::int64_t>& start() const { return start_; }
  const std::optional<std::int64_t>& stop() const { return stop_; }
  const std::optional<std::int64_t>& step() const { return step_; }

 private:
  std::optional<std::int64_t> start_, stop_, step_;
};

class TensorIndex {
 public:
  enum class Kind { None, Ellipsis, Integer, Slice, Tensor };

  TensorIndex(std::nullopt_t) : kind_(Kind::None) {}                 // NOLINT: implicit, as LibTorch's
  TensorIndex(EllipsisIndexType) : kind_(Kind::Ellipsis) {}          // NOLINT
  TensorIndex(const char* ellipsis);                                 // NOLINT: "..." only
  TensorIndex(std::int64_t integer) : kind_(Kind::Integer), integer_(integer) {}  // NOLINT
  TensorIndex(int integer) : TensorIndex(static_cast<std::int64_t>(integer)) {}   // NOLINT
  TensorIndex(bool) = delete;  // LibTorch's true/false indices are not taken: no silent 0 or 1
  TensorIndex(Slice slice) : kind_(Kind::Slice), slice_(slice) {}    // NOLINT
  TensorIndex(Tensor tensor) : kind_(Kind::Tensor), tensor_(std::move(tensor)) {}  // NOLINT

  Kind kind() const { return kind_; }
  std::int64_t integer() const { return integer_; }
  const Slice& slice() const { return slice_; }
  const Tensor& tensor() const { return tensor_; }

 private:
  Kind kind_;
  std::int64_t integer_ = 0;
  Slice slice_;
  Tensor tensor_;
};

}  // namespace tg::indexing
