#include <tapegrad/ops/interpolate.hpp>

#include <cmath>
#include <string>

#include <tapegrad/core/factories.hpp>
#include <tapegrad/ops/tensor_ops.hpp>

namespace tg::nn::functional {
namespace {

// ATen's coordinate arithmetic runs in the input's floating type (float for Float, double for Double),
// so each mode's source positions are computed in C and the weights stored at that precision.
template <class C>
C coordinate_scale(std::int64_t in, std::int64_t out, std::optional<double> factor, bool align_corners) {
  if (align_corners) return out > 1 ? static_cast<C>(in - 1) / static_cast<C>(out - 1) : C(0);
  return factor ? static_cast<C>(1.0 / *factor) : static_cast<C>(in) / static_cast<C>(out);
}

// Output position o of `dim` reads input position floor(o * scale), clamped to the last.
template <class C>
Tensor nearest_along(const Tensor& x, std::int64_t dim, std::int64_t out, std::optional<double> factor) {
  const std::int64_t in = x.size(dim);
  const C scale = coordinate_scale<C>(in, out, factor, false);
  std::vector<std::int64_t> source(static_cast<std::size_t>(out));
  for (std::int64_t o = 0; o < out; ++o)
    source[static_cast<std::size_t>(o)] =
        out == in ? o : std::min(static_cast<std::int64_t>(std::floor(static_cast<C>(o) * scale)), in - 1);
  return index_select(x, dim, tensor(source));
}

// Output position o of `dim` is (1 - l) x[i0] + l x[i1], its two neighbours weighted by distance.
template <class C>
Tensor linear_along(const Tensor& x, std::int64_t dim, std::int64_t out, std::optional<double> factor,
                    bool align_corners) {
  const std::int64_t in = x.size(dim);
  const C scale = coordinate_scale<C>(in, out, factor, align_corners);
  std::vector<std::int64_t> i0(static_cast<std::size_t>(out)), i1(i0.size());
  std::vector<double> w0(i0.size()), w1(i0.size());
  for (std::size_t o = 0; o < i0.size(); ++o) {
    const C oc = static_cast<C>(o);
    C src = align_corners ? scale * oc : scale * (oc + C(0.5)) - C(0.5);
    if (src < 0) src = 0;
    i0[o] = static_cast<std::int64_t>(src);
    i1[o] = i0[o] + (i0[o] < in - 1 ? 1 : 0);
    const C l = std::min(std::max(src - static_cast<C>(i0[o]), C(0)), C(1));
    w1[o] = l;
    w0[o] = C(1) - l;
  }
  // The weights broadcast along `dim`: shape (out, 1, ..., 1) up to the last dim.
  std::vector<std::int64_t> wshape(static_cast<std::size_t>(x.dim() - dim), 1);
  wshape[0] = out;
  const TensorOptions as_x = TensorOptions().dtype(x.scalar_type());
  const Tensor a = tensor(w0, as_x).view(wshape), b = tensor(w1, as_x).view(wshape);
  return add(mul(index_select(x, dim, tensor(i0)), a), mul(index_select(x, dim, tensor(i1)), b));
}


}  // namespace

Tensor interpolate(const Tensor& input, const InterpolateFuncOptions& options) {
  const std::string mode = enum_name(options.mode());
  const std::string about = " (input shape " + shape_str(input.sizes()) + ", mode " + mode + ")";
  const bool nearest = std::holds_alternative<enumtype::kNearest>(options.mode());
  const std::int64_t spatial = nearest ? input.dim() - 2 : std::holds_alternative<enumtype::kLinear>(options.mode()) ? 1 : 2;
  if (input.dim() != spatial + 2 || spatial < 1 || spatial > 2)
    throw Error("interpolate: expected " +
                std::string(nearest ? "a 3-D (N, C, L) or 4-D (N, C, H, W)" : spatial == 1 ? "a 3-D (N, C, L)" : "a 4-D (N, C, H, W)") +
                " input" + about);
  if (!input.is_floating_point()) throw Error("interpolate: expected a floating tensor" + about);
  if (nearest && options.align_corners())
    throw Error("interpolate: align_corners can only be set with kLinear or kBilinear" + about);
  if (options.size().has_value() == options.scale_factor().has_value())
    throw Error("interpolate: give exactly one of size and scale_factor" + about);
  const std::size_t given = options.size() ? options.size()->size() : options.scale_factor()->size();
  if (given != static_cast<std::size_t>(spatial))
    throw Error("interpolate: expected " + std::to_string(spatial) + " output sizes or scale factors, one per spatial dim, got " +
                std::to_string(given) + about);
  Tensor x = input;
  for (std::int64_t s = 0; s < spatial; ++s) {
    const std::int64_t dim = 2 + s, in = input.size(dim);
    std::optional<double> factor;
    std::int64_t out;
    if (options.size()) {
      out = (*options.size())[static_cast<std::size_t>(s)];
    } else {
      factor = (*options.scale_factor())[static_cast<std::size_t>(s)];
      if (!(*factor > 0) || !std::isfinite(*factor))
        throw Error("interpolate: scale factors must be positive and finite, got " + std::to_string(*factor) + about);
      out = static_cast<std::int64_t>(std::floor(static_cast<double>(in) * *factor));
    }
    if (out <= 0 || in <= 0)
      throw Error("interpolate: input and output sizes must be positive, got " + std::to_string(in) + " -> " +
                  std::to_string(out) + " along dim " + std::to_string(dim) + about);
    const bool dbl = x.scalar_type() == kDouble;
    if (nearest)
      x = dbl ? nearest_along<double>(x, dim, out, factor) : nearest_along<float>(x, dim, out, factor);
    else {
      const bool align = options.align_corners().value_or(false);
      x = dbl ? linear_along<double>(x, dim, out, factor, align) : linear_along<float>(x, dim, out, factor, align);
    }
  }
  return x;
}

}  // namespace tg::nn::functional
