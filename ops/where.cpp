#include <tapegrad/ops/where.hpp>

#include <xtensor/xoperation.hpp>

#include <tapegrad/core/tape.hpp>

namespace tg {
namespace {

// The mask as a comparison of T values. xsimd 8.1's SSE2 batches (the library is built for the
// x86-64 baseline) load a bool array into a double mask wrongly once it is broadcast:
// xt::where(bool (4,), double (3, 4), 0.0) gave rows [1, 0, 0, 0] for the mask [1, 0, 0, 1]
// (docs/xtensor-notes.md). A mask computed from T values, as every comparison is, selects rightly.
template <class T>
auto selects(const Mask& mask) {
  return xt::not_equal(xt::cast<T>(mask), T(0));
}

}  // namespace

template <class T>
Variable<T> where(const Mask& condition, const Variable<T>& input, const Variable<T>& other) {
  const Shape cs = to_shape(condition.shape());
  try {
    broadcast_shapes(broadcast_shapes(cs, input.shape(), "where"), other.shape(), "where");
  } catch (const Error&) {
    throw Error("where: condition " + shape_str(cs) + ", input " + shape_str(input.shape()) + " and other " +
                shape_str(other.shape()) + " do not broadcast (expected equal dims or 1 at each trailing position)");
  }
  Array<T> out = xt::where(selects<T>(condition), input.value(), other.value());
  const bool keep = input.requires_grad() || other.requires_grad();
  return record<T>("where", std::move(out), {input, other},
                   [mask = keep ? condition : Mask()](Array<T>& g, Grads<T>& grads) {
                     if (grads.needs(0)) grads.add(0, Array<T>(xt::where(selects<T>(mask), g, T(0))));
                     if (grads.needs(1)) grads.add(1, Array<T>(xt::where(selects<T>(mask), T(0), g)));
                   });
}

template <class T>
Variable<T> masked_fill(const Variable<T>& x, const Mask& mask, T value) {
  const Shape ms = to_shape(mask.shape());
  try {
    broadcast_shapes(ms, x.shape(), "masked_fill");
  } catch (const Error&) {
    throw Error("masked_fill: mask " + shape_str(ms) + " and input " + shape_str(x.shape()) +
                " do not broadcast (expected equal dims or 1 at each trailing position)");
  }
  return tg::where(mask, Variable<T>(Array<T>(value)), x);  // qualified: ADL would find xt::where
}

#define TG_INSTANTIATE(T)                                                               \
  template Variable<T> where(const Mask&, const Variable<T>&, const Variable<T>&);      \
  template Variable<T> masked_fill(const Variable<T>&, const Mask&, T);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)
#undef TG_INSTANTIATE

}  // namespace tg
