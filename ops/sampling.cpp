#include <tapegrad/ops/sampling.hpp>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <tapegrad/core/dispatch.hpp>
#include <tapegrad/core/factories.hpp>
#include <tapegrad/core/random.hpp>

namespace tg {

Tensor bernoulli(const Tensor& probs) {
  check_floating(probs, "bernoulli");
  return visit_values(probs, [&](const auto& p) -> Tensor {
    using T = typename std::decay_t<decltype(p)>::value_type;
    Array<T> out = Array<T>::from_shape(p.shape());
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    for (std::size_t k = 0; k < p.size(); ++k) {
      const double q = static_cast<double>(p.data()[k]);
      if (!(q >= 0 && q <= 1))
        throw Error("bernoulli: expected probabilities in [0, 1], got " + std::to_string(q) + " in a tensor of shape " +
                    shape_str(p.shape()));
      out.data()[k] = static_cast<T>(uniform(generator()) < q);
    }
    return Tensor(std::move(out));
  });
}

Tensor bernoulli(const Tensor& x, double p) {
  check_floating(x, "bernoulli");
  if (!(p >= 0 && p <= 1)) throw Error("bernoulli: expected p in [0, 1], got " + std::to_string(p));
  return bernoulli(full(x.sizes(), p, TensorOptions().dtype(x.scalar_type())));
}

Tensor multinomial(const Tensor& weights, std::int64_t num_samples, bool replacement) {
  check_floating(weights, "multinomial");
  const std::string about = "multinomial: weights of shape " + shape_str(weights.shape());
  if (weights.dim() != 1 && weights.dim() != 2) throw Error(about + ": expected 1-D or 2-D weights");
  if (num_samples <= 0) throw Error(about + ": expected num_samples > 0, got " + std::to_string(num_samples));
  const Tensor w = weights.to(kDouble).reshape({-1, weights.size(-1)});
  const auto rows = static_cast<std::size_t>(w.size(0)), categories = static_cast<std::size_t>(w.size(1));
  const double* data = w.data_ptr<double>();
  Labels out = Labels::from_shape({rows, static_cast<std::size_t>(num_samples)});
  for (std::size_t r = 0; r < rows; ++r) {
    std::vector<double> row(data + r * categories, data + (r + 1) * categories);
    std::size_t positive = 0;
    for (double v : row) {
      if (!(v >= 0) || !std::isfinite(v)) throw Error(about + ": expected finite nonnegative weights, got " + std::to_string(v));
      positive += v > 0;
    }
    if (positive == 0) throw Error(about + ": row " + std::to_string(r) + " has no positive weight");
    if (!replacement && static_cast<std::size_t>(num_samples) > positive)
      throw Error(about + ": cannot draw " + std::to_string(num_samples) + " samples without replacement from " +
                  std::to_string(positive) + " categories of nonzero weight");
    for (std::int64_t s = 0; s < num_samples; ++s) {
      std::discrete_distribution<std::int64_t> pick(row.begin(), row.end());
      const std::int64_t c = pick(generator());
      out.data()[r * static_cast<std::size_t>(num_samples) + static_cast<std::size_t>(s)] = c;
      if (!replacement) row[static_cast<std::size_t>(c)] = 0;  // drawn: out of the later draws
    }
  }
  Tensor result(std::move(out));
  return weights.dim() == 1 ? result.squeeze(0) : result;
}

}  // namespace tg
