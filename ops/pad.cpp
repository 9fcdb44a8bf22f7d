#include <tapegrad/ops/pad.hpp>

#include <string>

#include <tapegrad/core/factories.hpp>
#include <tapegrad/ops/tensor_ops.hpp>

namespace tg::nn::functional {
namespace {

std::string pad_str(const std::vector<std::int64_t>& pad) {
  std::string s = "{";
  for (std::size_t i = 0; i < pad.size(); ++i) s += (i ? ", " : "") + std::to_string(pad[i]);
  return s + "}";
}

// kConstant along `dim`: crop the negative amounts, then add blocks of `value`.
Tensor constant_pad(Tensor x, std::int64_t dim, std::int64_t before, std::int64_t after, double value) {
  const std::int64_t n = x.size(dim);
  if (before + after < -n)
    throw Error("pad: crops of " + std::to_string(-before) + " and " + std::to_string(-after) + " exceed dim " +
                std::to_string(dim) + " of size " + std::to_string(n) + " (input shape " + shape_str(x.sizes()) + ")");
  if (before < 0 || after < 0) {
    const std::int64_t start = before < 0 ? -before : 0;
    x = narrow(x, dim, start, n - start - (after < 0 ? -after : 0));
  }
  std::vector<Tensor> parts;
  auto block = [&](std::int64_t length) {
    std::vector<std::int64_t> shape = x.sizes();
    shape[static_cast<std::size_t>(dim)] = length;
    return full(shape, value, TensorOptions().dtype(x.scalar_type()));
  };
  if (before > 0) parts.push_back(block(before));
  parts.push_back(x);
  if (after > 0) parts.push_back(block(after));
  return parts.size() == 1 ? x : cat(parts, dim);
}

// The other modes along `dim`: output position i (of before + n + after) reads input position
// source(i - before).
template <class Mode>
Tensor indexed_pad(const Tensor& x, std::int64_t dim, std::int64_t before, std::int64_t after, Mode) {
  const std::int64_t n = x.size(dim);
  const std::string where = " for dim " + std::to_string(dim) + " of size " + std::to_string(n) + " (input shape " +
                            shape_str(x.sizes()) + ")";
  if (before < 0 || after < 0)
    throw Error("pad: " + std::string(Mode::kName) + " takes no negative padding, got " + std::to_string(before) +
                " and " + std::to_string(after) + where);
  if (n == 0 && before + after > 0)
    throw Error("pad: " + std::string(Mode::kName) + " cannot pad an empty dim" + where);
  if constexpr (std::is_same_v<Mode, enumtype::kReflect>) {
    if (before >= n || after >= n)
      throw Error("pad: kReflect's padding (" + std::to_string(before) + ", " + std::to_string(after) +
                  ") must be below the dim's size" + where);
  }
  if constexpr (std::is_same_v<Mode, enumtype::kCircular>) {
    if (before > n || after > n)
      throw Error("pad: kCircular's padding (" + std::to_string(before) + ", " + std::to_string(after) +
                  ") would wrap around more than once" + where);
  }
  std::vector<std::int64_t> source;
  source.reserve(static_cast<std::size_t>(before + n + after));
  for (std::int64_t i = -before; i < n + after; ++i) {
    if constexpr (std::is_same_v<Mode, enumtype::kReflect>) source.push_back(i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i);
    if constexpr (std::is_same_v<Mode, enumtype::kReplicate>) source.push_back(i < 0 ? 0 : i >= n ? n - 1 : i);
    if constexpr (std::is_same_v<Mode, enumtype::kCircular>) source.push_back((i % n + n) % n);
  }
  return index_select(x, dim, tensor(source));
}

}  // namespace

Tensor pad(const Tensor& input, const PadFuncOptions& options) {
  const std::vector<std::int64_t>& amounts = options.pad();
  const auto rank = static_cast<std::int64_t>(input.dim());
  if (amounts.size() % 2 != 0 || static_cast<std::int64_t>(amounts.size()) > 2 * rank)
    throw Error("pad: expected (before, after) pairs for at most the input's " + std::to_string(rank) +
                " dims, got " + pad_str(amounts) + " for input shape " + shape_str(input.sizes()));
  Tensor x = input.clone();  // a new tensor even when nothing is padded, as LibTorch's
  for (std::size_t k = 0; k < amounts.size() / 2; ++k) {
    const std::int64_t dim = rank - 1 - static_cast<std::int64_t>(k), before = amounts[2 * k], after = amounts[2 * k + 1];
    if (before == 0 && after == 0) continue;
    x = std::visit(
        [&](auto mode) {
          if constexpr (std::is_same_v<decltype(mode), enumtype::kConstant>)
            return constant_pad(x, dim, before, after, options.value());
          else
            return indexed_pad(x, dim, before, after, mode);
        },
        options.mode());
  }
  return x;
}

}  // namespace tg::nn::functional
