// Gradient clipping, as LibTorch 1.13's torch::nn::utils::clip_grad_norm_ and clip_grad_value_:
//
//   loss.backward();
//   tg::nn::utils::clip_grad_norm_(net->parameters(), /*max_norm=*/1.0);   // Tensors or Variables
//   opt.step();
#pragma once

#include <limits>
#include <vector>

#include <tapegrad/core/tensor.hpp>
#include <tapegrad/core/variable.hpp>

namespace tg::nn::utils {

// Scales the gradients of `parameters` (those that have one) together so that their total norm — the
// norm_type-norm of all their elements, or the largest |element| for norm_type = infinity — is at most
// max_norm: each is multiplied by min(1, max_norm / (total_norm + 1e-6)). Returns the total norm before
// clipping (0 when no parameter has a gradient). With error_if_nonfinite a NaN or infinite total norm
// throws instead. The norm is summed in double. Throws unless norm_type > 0 (LibTorch also takes 0, and
// then returns the number of gradients).
template <class T>
double clip_grad_norm_(const std::vector<Variable<T>>& parameters, double max_norm, double norm_type = 2.0,
                       bool error_if_nonfinite = false);

// Clamps every gradient element of `parameters` into [-clip_value, clip_value]; throws when
// clip_value < 0.
template <class T>
void clip_grad_value_(const std::vector<Variable<T>>& parameters, double clip_value);

// The same on Tensors (module->parameters()), all Float or all Double; a mix throws.
double clip_grad_norm_(const std::vector<Tensor>& parameters, double max_norm, double norm_type = 2.0,
                       bool error_if_nonfinite = false);
void clip_grad_value_(const std::vector<Tensor>& parameters, double clip_value);

}  // namespace tg::nn::utils
