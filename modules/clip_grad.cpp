#include <tapegrad/modules/clip_grad.hpp>

#include <algorithm>
#include <cmath>
#include <string>

namespace tg::nn::utils {

template <class T>
double clip_grad_norm_(const std::vector<Variable<T>>& parameters, double max_norm, double norm_type,
                       bool error_if_nonfinite) {
  if (!(norm_type > 0))
    throw Error("clip_grad_norm_: expected norm_type > 0 (or infinity), got " + std::to_string(norm_type));
  const bool inf = std::isinf(norm_type);
  double total = 0;  // the largest |g| for the inf norm, else the sum of |g|^p
  bool any = false;
  for (const auto& p : parameters) {
    if (!p.has_grad()) continue;
    any = true;
    for (const T g : p.grad()) {
      const double a = std::abs(static_cast<double>(g));
      if (inf) total = a > total || std::isnan(a) ? a : total;  // a NaN stays, as in torch.max
      else total += norm_type == 2 ? a * a : norm_type == 1 ? a : std::pow(a, norm_type);
    }
  }
  if (!any) return 0.0;
  const double total_norm = inf               ? total
                            : norm_type == 2  ? std::sqrt(total)
                            : norm_type == 1  ? total
                                              : std::pow(total, 1 / norm_type);
  if (error_if_nonfinite && !std::isfinite(total_norm))
    throw Error("clip_grad_norm_: the total norm of order " + std::to_string(norm_type) +
                " of the gradients is non-finite, so it cannot be clipped; pass error_if_nonfinite = false to scale "
                "them by it anyway");
  const double coef = max_norm / (total_norm + 1e-6);
  // As torch.clamp(coef, max=1): a NaN coefficient stays NaN.
  const T scale = static_cast<T>(std::isnan(coef) ? coef : std::min(coef, 1.0));
  for (auto p : parameters)  // handles: the copy shares the gradient
    if (p.has_grad())
      for (T& g : p.grad()) g *= scale;
  return total_norm;
}

template <class T>
void clip_grad_value_(const std::vector<Variable<T>>& parameters, double clip_value) {
  if (!(clip_value >= 0)) throw Error("clip_grad_value_: expected clip_value >= 0, got " + std::to_string(clip_value));
  const T hi = static_cast<T>(clip_value), lo = static_cast<T>(-clip_value);
  for (auto p : parameters)
    if (p.has_grad())
      for (T& g : p.grad()) g = std::min(std::max(g, lo), hi);
}

template double clip_grad_norm_(const std::vector<Variable<float>>&, double, double, bool);
template double clip_grad_norm_(const std::vector<Variable<double>>&, double, double, bool);
template void clip_grad_value_(const std::vector<Variable<float>>&, double);
template void clip_grad_value_(const std::vector<Variable<double>>&, double);

namespace {

// The typed handles of `parameters`, which must all have one floating dtype, as Variable<T>.
template <class T>
std::vector<Variable<T>> typed_parameters(const std::vector<Tensor>& parameters, const char* op) {
  std::vector<Variable<T>> out;
  for (const auto& p : parameters) {
    if (p.defined() && p.scalar_type() != parameters.front().scalar_type())
      throw Error(std::string(op) + ": parameters of dtypes " + to_string(parameters.front().scalar_type()) + " and " +
                  to_string(p.scalar_type()) + " (expected one dtype)");
    out.push_back(p.variable<T>());
  }
  return out;
}

}  // namespace

double clip_grad_norm_(const std::vector<Tensor>& parameters, double max_norm, double norm_type,
                       bool error_if_nonfinite) {
  const char* op = "clip_grad_norm_";
  if (!parameters.empty() && parameters.front().defined() && parameters.front().scalar_type() == kDouble)
    return clip_grad_norm_(typed_parameters<double>(parameters, op), max_norm, norm_type, error_if_nonfinite);
  return clip_grad_norm_(typed_parameters<float>(parameters, op), max_norm, norm_type, error_if_nonfinite);
}

void clip_grad_value_(const std::vector<Tensor>& parameters, double clip_value) {
  const char* op = "clip_grad_value_";
  if (!parameters.empty() && parameters.front().defined() && parameters.front().scalar_type() == kDouble)
    return clip_grad_value_(typed_parameters<double>(parameters, op), clip_value);
  clip_grad_value_(typed_parameters<float>(parameters, op), clip_value);
}

}  // namespace tg::nn::utils
