#include <tapegrad/ops/indexing.hpp>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include <xtensor/xbroadcast.hpp>

#include <tapegrad/core/dispatch.hpp>
#include <tapegrad/core/factories.hpp>
#include <tapegrad/core/grad_mode.hpp>
#include <tapegrad/ops/tensor_ops.hpp>

namespace tg {
namespace indexing {

TensorIndex::TensorIndex(const char* ellipsis) : kind_(Kind::Ellipsis) {
  if (ellipsis == nullptr || std::strcmp(ellipsis, "...") != 0)
    throw Error(std::string("index: a string index must be \"...\" (Ellipsis), got \"") +
                (ellipsis ? ellipsis : "(null)") + "\"");
}

}  // namespace indexing

namespace {

using indexing::TensorIndex;
using Kind = TensorIndex::Kind;

// The positions start, start + step, ... before stop, after Python's rules: negative counts from
// the end, both clamped to [0, size].
struct Range {
  std::int64_t start, count, step;
};
Range resolve(const indexing::Slice& s, std::int64_t size) {
  const std::int64_t step = s.step().value_or(1);
  if (step <= 0) throw Error("index: expected a slice step > 0, got " + std::to_string(step));
  auto clamp = [size](std::int64_t v) { return std::clamp(v < 0 ? v + size : v, std::int64_t{0}, size); };
  const std::int64_t start = s.start() ? clamp(*s.start()) : 0, stop = s.stop() ? clamp(*s.stop()) : size;
  return {start, stop > start ? (stop - start + step - 1) / step : 0, step};
}

// A 1-D Long index tensor from a tensor index: Long as it is, a Bool mask as the positions it marks.
Tensor positions_of(const Tensor& t, std::int64_t size, std::int64_t dim) {
  if (t.dim() != 1)
    throw Error("index: expected a 1-D Long or Bool tensor index, got shape " + shape_str(t.shape()));
  if (t.scalar_type() == kLong) return t;
  if (t.scalar_type() != kBool)
    throw Error("index: expected a tensor index of dtype Long or Bool, got " + std::string(to_string(t.scalar_type())));
  if (t.size(0) != size)
    throw Error("index: a Bool mask of " + std::to_string(t.size(0)) + " elements for dim " + std::to_string(dim) +
                " of size " + std::to_string(size));
  std::vector<std::int64_t> marked;
  const bool* m = t.data_ptr<bool>();
  for (std::int64_t i = 0; i < size; ++i)
    if (m[i]) marked.push_back(i);
  Array<std::int64_t> p = Array<std::int64_t>::from_shape({marked.size()});
  std::copy(marked.begin(), marked.end(), p.begin());
  return Tensor(std::move(p));
}

}  // namespace

Tensor Tensor::index(const std::vector<TensorIndex>& indices) const {
  check_defined("index");
  std::int64_t consumed = 0, ellipses = 0, tensors = 0;
  for (const TensorIndex& i : indices) {
    consumed += i.kind() == Kind::Integer || i.kind() == Kind::Slice || i.kind() == Kind::Tensor;
    ellipses += i.kind() == Kind::Ellipsis;
    tensors += i.kind() == Kind::Tensor;
  }
  if (ellipses > 1) throw Error("index: expected at most one Ellipsis, got " + std::to_string(ellipses));
  if (tensors > 1)
    throw Error("index: expected at most one tensor index, got " + std::to_string(tensors) +
                " (several would be NumPy's advanced indexing, which tapegrad does not do)");
  if (consumed > dim())
    throw Error("index: too many indices (" + std::to_string(consumed) + ") for a tensor of shape " +
                shape_str(shape()));
  Tensor out = *this;
  std::int64_t d = 0;       // the dim of `out` the next index applies to
  std::int64_t source = 0;  // the same dim's number in this tensor, for messages
  for (const TensorIndex& i : indices) {
    switch (i.kind()) {
      case Kind::None:
        out = out.unsqueeze(d++);
        break;
      case Kind::Ellipsis:
        d += dim() - consumed;
        source += dim() - consumed;
        break;
      case Kind::Integer: {
        const std::int64_t size = out.size(d), k = i.integer();
        if (k < -size || k >= size)
          throw Error("index: index " + std::to_string(k) + " is out of range for dim " + std::to_string(source) +
                      " of size " + std::to_string(size) + " (expected -size <= index < size)");
        out = out.select(d, k);
        ++source;
        break;
      }
      case Kind::Slice: {
        const Range r = resolve(i.slice(), out.size(d));
        out = r.step == 1 ? out.narrow(d, r.start, r.count)
                          : out.index_select(d, arange(r.start, r.start + r.count * r.step, r.step, tg::dtype(kLong)));
        ++d, ++source;
        break;
      }
      case Kind::Tensor:
        out = out.index_select(d, positions_of(i.tensor(), out.size(d), source));
        ++d, ++source;
        break;
    }
  }
  if (out.is_same(*this)) return out;
  // A view in LibTorch, unless a tensor indexes it (a copy there too).
  return detail::mark_copied_view(std::move(out), *this, tensors == 0 ? "index" : nullptr);
}

Tensor& Tensor::index_put_(const std::vector<TensorIndex>& indices, const Tensor& values) {
  check_inplace("index_put_");
  // Where the indexed elements are: the same indexing of this tensor's flat positions.
  const Tensor at = arange(numel(), tg::dtype(kLong)).view(sizes()).index(indices);
  if (!values.defined()) throw Error("index_put_: the values tensor is undefined (default-constructed)");
  const Shape target = at.shape();
  const std::string mismatch = "index_put_: values of shape " + shape_str(values.shape()) +
                               " do not broadcast to the indexed shape " + shape_str(target);
  try {
    if (broadcast_shapes(values.shape(), target, "index_put_") != target) throw Error(mismatch);
  } catch (const Error&) {
    throw Error(mismatch);
  }
  NoGradGuard no_grad;
  const Tensor v = values.detach().to(scalar_type());
  const std::int64_t* where = at.data_ptr<std::int64_t>();
  visit_values(v, [&](const auto& a) {
    using T = typename std::decay_t<decltype(a)>::value_type;
    const Array<T> spread = xt::broadcast(a, target);
    T* data = value<T>().data();
    for (std::size_t k = 0; k < spread.size(); ++k) data[where[k]] = spread.data()[k];
  });
  return *this;
}

Tensor& Tensor::index_put_(const std::vector<TensorIndex>& indices, const Scalar& value) {
  check_inplace("index_put_");
  return index_put_(indices, full({}, value, tg::dtype(scalar_type())));
}

}  // namespace tg
