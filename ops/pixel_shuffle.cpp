#include <tapegrad/ops/pixel_shuffle.hpp>

#include <initializer_list>
#include <string>
#include <vector>

#include <tapegrad/ops/tensor_ops.hpp>

namespace tg {
namespace {

using Sizes = std::vector<std::int64_t>;

// x's leading dims (all but the last three) followed by `tail`.
Sizes lead_then(const Tensor& x, std::initializer_list<std::int64_t> tail) {
  const IntArrayRef sizes = x.sizes();
  Sizes s(sizes.begin(), sizes.end() - 3);
  s.insert(s.end(), tail);
  return s;
}

// Leading dims in place, then the last five of a 5-dim split in `tail_order` (0-4).
Sizes lead_order(const Tensor& x, std::initializer_list<std::int64_t> tail_order) {
  const auto lead = static_cast<std::int64_t>(x.dim()) - 3;
  Sizes order;
  for (std::int64_t i = 0; i < lead; ++i) order.push_back(i);
  for (std::int64_t t : tail_order) order.push_back(lead + t);
  return order;
}

void check_input(const Tensor& x, std::int64_t factor, const char* op, const char* factor_name) {
  if (!x.defined()) throw Error(std::string(op) + ": the tensor is undefined (default-constructed)");
  if (x.dim() < 3)
    throw Error(std::string(op) + ": expected a tensor of at least 3 dims (*, C, H, W), got shape " +
                shape_str(x.shape()));
  if (factor < 1) throw Error(std::string(op) + ": expected " + factor_name + " >= 1, got " + std::to_string(factor));
}

std::int64_t product(std::int64_t a, std::int64_t b, const Tensor& x, const char* op) {
  std::int64_t p = 0;
  if (__builtin_mul_overflow(a, b, &p))
    throw Error(std::string(op) + ": " + std::to_string(a) + " x " + std::to_string(b) + " for shape " +
                shape_str(x.shape()) + " overflows int64");
  return p;
}

}  // namespace

Tensor pixel_shuffle(const Tensor& x, std::int64_t r) {
  check_input(x, r, "pixel_shuffle", "upscale_factor");
  const std::int64_t c = x.size(-3), h = x.size(-2), w = x.size(-1);
  const std::int64_t rr = product(r, r, x, "pixel_shuffle");
  if (c % rr != 0)
    throw Error("pixel_shuffle: expected the channels (dim -3) of shape " + shape_str(x.shape()) +
                " to be divisible by upscale_factor^2 = " + std::to_string(rr));
  const Sizes out = lead_then(x, {c / rr, product(h, r, x, "pixel_shuffle"), product(w, r, x, "pixel_shuffle")});
  // (*, C, r, r, H, W) -> (*, C, H, r, W, r)
  return reshape(permute(reshape(x, lead_then(x, {c / rr, r, r, h, w})), lead_order(x, {0, 3, 1, 4, 2})), out);
}

Tensor pixel_unshuffle(const Tensor& x, std::int64_t r) {
  check_input(x, r, "pixel_unshuffle", "downscale_factor");
  const std::int64_t c = x.size(-3), h = x.size(-2), w = x.size(-1);
  if (h % r != 0 || w % r != 0)
    throw Error("pixel_unshuffle: expected the height and width (dims -2, -1) of shape " + shape_str(x.shape()) +
                " to be divisible by downscale_factor = " + std::to_string(r));
  const Sizes out = lead_then(x, {product(c, product(r, r, x, "pixel_unshuffle"), x, "pixel_unshuffle"), h / r, w / r});
  // (*, C, H, r, W, r) -> (*, C, r, r, H, W)
  return reshape(permute(reshape(x, lead_then(x, {c, h / r, r, w / r, r})), lead_order(x, {0, 2, 4, 1, 3})), out);
}

}  // namespace tg
