#include <tapegrad/data/normalize.hpp>

#include <cmath>
#include <string>

namespace tg::data::transforms::detail {
namespace {

std::string values_str(const std::vector<double>& v) {
  std::string s = "{";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + "}";
}

// The channel count and the values per channel of `input` (dims after -3), checked.
void check_channels(const Tensor& input, std::size_t channels) {
  if (channels == 1) return;
  if (input.dim() < 3 || input.size(-3) != static_cast<std::int64_t>(channels))
    throw Error("Normalize: expected data of shape (..., C, H, W) with C = " + std::to_string(channels) +
                " (one mean per channel), got " + shape_str(input.shape()));
}

// Writes into `out` (x itself, or a new buffer of its shape).
template <class T>
void normalize_values(const Array<T>& x, Array<T>& out, const std::vector<double>& mean,
                      const std::vector<double>& stddev) {
  const T* src = x.data();
  T* dst = out.data();
  const std::size_t channels = mean.size(), n = x.size();
  if (n == 0) return;
  // Each channel is a run of `inner` values (H*W), repeated every channels*inner values.
  const std::size_t inner = channels == 1 ? n : x.shape()[x.dimension() - 1] * x.shape()[x.dimension() - 2];
  for (std::size_t start = 0; start < n;) {
    for (std::size_t c = 0; c < channels; ++c, start += inner) {
      const T m = static_cast<T>(mean[c]), s = static_cast<T>(stddev[c]);
      for (std::size_t k = start; k < start + inner; ++k) dst[k] = (src[k] - m) / s;
    }
  }
}

// In place when `x` is the only handle on its buffer (a dataset's fresh example: nobody can see the
// difference, and it saves an allocation per example), else into a new tensor.
template <class T>
Tensor normalize_unrecorded(Tensor x, const std::vector<double>& mean, const std::vector<double>& stddev) {
  Variable<T>& v = x.variable<T>();
  if (x.use_count() == 1 && v.value_ptr().use_count() == 1) {
    normalize_values(v.value(), v.value(), mean, stddev);
    return x;
  }
  Array<T> out = Array<T>::from_shape(v.value().shape());
  normalize_values(v.value(), out, mean, stddev);
  return Tensor(std::move(out));
}

template <class T>
Tensor normalize_recorded(const Tensor& input, const std::vector<double>& mean, const std::vector<double>& stddev) {
  const Shape shape = mean.size() == 1 ? Shape{} : Shape{mean.size(), 1, 1};
  Array<T> m = Array<T>::from_shape(shape), s = Array<T>::from_shape(shape);
  for (std::size_t c = 0; c < mean.size(); ++c) {
    m.data()[c] = static_cast<T>(mean[c]);
    s.data()[c] = static_cast<T>(stddev[c]);
  }
  return input.sub(Tensor(std::move(m))).div(Tensor(std::move(s)));
}

}  // namespace

void check_normalize_arguments(const std::vector<double>& mean, const std::vector<double>& stddev) {
  if (mean.empty() || mean.size() != stddev.size())
    throw Error("Normalize: expected as many means as stddevs (at least one), got mean " + values_str(mean) +
                " and stddev " + values_str(stddev));
  for (double s : stddev)
    if (!(s > 0.0) || !std::isfinite(s))
      throw Error("Normalize: expected every stddev > 0 and finite, got stddev " + values_str(stddev));
  for (double m : mean)
    if (!std::isfinite(m)) throw Error("Normalize: expected finite means, got mean " + values_str(mean));
}

Tensor normalize(Tensor input, const std::vector<double>& mean, const std::vector<double>& stddev) {
  if (!input.defined()) throw Error("Normalize: the input tensor is undefined");
  if (!input.is_floating_point()) input = input.to(kFloat);
  check_channels(input, mean.size());
  const bool is_float = input.scalar_type() == kFloat;
  if (input.requires_grad())
    return is_float ? normalize_recorded<float>(input, mean, stddev) : normalize_recorded<double>(input, mean, stddev);
  return is_float ? normalize_unrecorded<float>(std::move(input), mean, stddev)
                  : normalize_unrecorded<double>(std::move(input), mean, stddev);
}

}  // namespace tg::data::transforms::detail
