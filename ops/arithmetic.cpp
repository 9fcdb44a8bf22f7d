#include <tapegrad/ops/arithmetic.hpp>

#include <xtensor/xmath.hpp>
#include <xtensor/xnoalias.hpp>
#include <xtensor/xoperation.hpp>

#include <tapegrad/core/tape.hpp>

namespace tg {
namespace {

template <class T>
void check_broadcast(const Variable<T>& a, const Variable<T>& b, const char* op) {
  if (a.shape() != b.shape()) broadcast_shapes(a.shape(), b.shape(), op);
}

// maximum (beats = greater) or minimum (less): the pick, NaN winning, then the gradient as derivatives.yaml's,
// where(a == b, g / 2, g) masked to 0 where the input lost. Comparisons of T values only: a select on a
// broadcast bool array goes wrong with xsimd (docs/xtensor-notes.md).
template <class T, class Beats>
Variable<T> extremum(const Variable<T>& a, const Variable<T>& b, Beats beats, const char* op) {
  check_broadcast(a, b, op);
  const Array<T>& av = a.value();
  const Array<T>& bv = b.value();
  return record<T>(op, xt::where(beats(av, bv) || xt::not_equal(av, av), av, bv), {a, b},
                   [av = a.value_ptr(), bv = b.value_ptr(), beats](Array<T>& g, Grads<T>& grads) {
                     const Array<T>& x = *av;
                     const Array<T>& y = *bv;
                     auto share = [&](const auto& lost) {
                       return Array<T>(xt::where(xt::equal(x, y), T(0.5) * g, xt::where(lost, T(0), g)));
                     };
                     if (grads.needs(0)) grads.add(0, share(beats(y, x)));
                     if (grads.needs(1)) grads.add(1, share(beats(x, y)));
                   });
}

}  // namespace

template <class T>
Variable<T> add(const Variable<T>& a, const Variable<T>& b) {
  check_broadcast(a, b, "add");
  return record<T>("add", a.value() + b.value(), {a, b}, [](Array<T>& g, Grads<T>& grads) {
    if (grads.needs(0)) grads.add(0, grads.needs(1) ? Array<T>(g) : std::move(g));
    if (grads.needs(1)) grads.add(1, std::move(g));
  });
}

template <class T>
Variable<T> sub(const Variable<T>& a, const Variable<T>& b) {
  check_broadcast(a, b, "sub");
  return record<T>("sub", a.value() - b.value(), {a, b}, [](Array<T>& g, Grads<T>& grads) {
    if (grads.needs(1)) grads.add(1, Array<T>(-g));
    if (grads.needs(0)) grads.add(0, std::move(g));
  });
}

template <class T>
Variable<T> mul(const Variable<T>& a, const Variable<T>& b) {
  check_broadcast(a, b, "mul");
  return record<T>("mul", a.value() * b.value(), {a, b},
                   [av = keep_if(b.requires_grad(), a), bv = keep_if(a.requires_grad(), b)](Array<T>& g,
                                                                                             Grads<T>& grads) {
                     if (grads.needs(1)) grads.add(1, Array<T>(g * *av));
                     if (grads.needs(0)) {  // g's last use: it becomes input 0's gradient in place
                       xt::noalias(g) *= *bv;
                       grads.add(0, std::move(g));
                     }
                   });
}

template <class T>
Variable<T> div(const Variable<T>& a, const Variable<T>& b) {
  check_broadcast(a, b, "div");
  return record<T>("div", a.value() / b.value(), {a, b},
                   [av = keep_if(b.requires_grad(), a), bv = b.value_ptr()](Array<T>& g, Grads<T>& grads) {
                     if (grads.needs(1)) grads.add(1, Array<T>(-g * *av / (*bv * *bv)));
                     if (grads.needs(0)) {
                       xt::noalias(g) /= *bv;
                       grads.add(0, std::move(g));
                     }
                   });
}

template <class T>
Variable<T> neg(const Variable<T>& a) {
  return record<T>("neg", -a.value(), {a},
                   [](Array<T>& g, Grads<T>& grads) { grads.add(0, Array<T>(-g)); });
}

template <class T>
Variable<T> maximum(const Variable<T>& a, const Variable<T>& b) {
  return extremum(a, b, [](const auto& x, const auto& y) { return xt::greater(x, y); }, "maximum");
}

template <class T>
Variable<T> minimum(const Variable<T>& a, const Variable<T>& b) {
  return extremum(a, b, [](const auto& x, const auto& y) { return xt::less(x, y); }, "minimum");
}

template <class T>
Variable<T> add(const Variable<T>& a, T s) {
  return record<T>("add", a.value() + s, {a},
                   [](Array<T>& g, Grads<T>& grads) { grads.add(0, std::move(g)); });
}

template <class T>
Variable<T> mul(const Variable<T>& a, T s) {
  return record<T>("mul", a.value() * s, {a},
                   [s](Array<T>& g, Grads<T>& grads) {
                     xt::noalias(g) *= s;
                     grads.add(0, std::move(g));
                   });
}

template <class T>
Variable<T> rsub(const Variable<T>& a, T s) {
  return record<T>("rsub", s - a.value(), {a},
                   [](Array<T>& g, Grads<T>& grads) { grads.add(0, Array<T>(-g)); });
}

template <class T>
Variable<T> rdiv(const Variable<T>& a, T s) {
  return record<T>("rdiv", s / a.value(), {a},
                   [s, av = a.value_ptr()](Array<T>& g, Grads<T>& grads) {
                     grads.add(0, Array<T>(-s * g / (*av * *av)));
                   });
}

#define TG_INSTANTIATE(T)                                                   \
  template Variable<T> add(const Variable<T>&, const Variable<T>&);         \
  template Variable<T> sub(const Variable<T>&, const Variable<T>&);         \
  template Variable<T> mul(const Variable<T>&, const Variable<T>&);         \
  template Variable<T> div(const Variable<T>&, const Variable<T>&);         \
  template Variable<T> neg(const Variable<T>&);                             \
  template Variable<T> maximum(const Variable<T>&, const Variable<T>&);     \
  template Variable<T> minimum(const Variable<T>&, const Variable<T>&);     \
  template Variable<T> add(const Variable<T>&, T);                          \
  template Variable<T> mul(const Variable<T>&, T);                          \
  template Variable<T> rsub(const Variable<T>&, T);                         \
  template Variable<T> rdiv(const Variable<T>&, T);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)
#undef TG_INSTANTIATE

}  // namespace tg
