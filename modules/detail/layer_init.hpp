// The layers' default initialisations, exactly LibTorch's (and PyTorch's) reset_parameters. Linear and
// the convolutions: weight ~ kaiming_uniform_(a = sqrt(5)), which is U(-1/sqrt(fan_in), 1/sqrt(fan_in)),
// and the same bound for the bias.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include <tapegrad/modules/init.hpp>

namespace tg::nn::detail {

inline void reset_layer_parameters(const Tensor& weight, const Tensor& bias) {
  init::kaiming_uniform_(weight, std::sqrt(5.0));
  if (!bias.defined()) return;
  const std::size_t fan_in = init::calculate_fan_in_and_fan_out(weight.shape()).first;
  const double bound = fan_in > 0 ? 1.0 / std::sqrt(double(fan_in)) : 0.0;
  init::uniform_(bias, -bound, bound);
}

// The recurrent layers' and cells' initialisation, LibTorch's: every parameter U(-1/sqrt(hidden_size),
// 1/sqrt(hidden_size)).
inline void reset_recurrent_parameters(const std::vector<Tensor>& parameters, std::int64_t hidden_size) {
  const double bound = 1.0 / std::sqrt(double(hidden_size));
  for (const Tensor& p : parameters) init::uniform_(p, -bound, bound);
}

}  // namespace tg::nn::detail
