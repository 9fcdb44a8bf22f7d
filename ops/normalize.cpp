#include <tapegrad/ops/normalize.hpp>

#include <string>

#include <tapegrad/ops/tensor_ops.hpp>

namespace tg::nn::functional {

Tensor normalize(const Tensor& input, const NormalizeFuncOptions& options) {
  try {
    return div(input, clamp_min(norm(input, options.p(), {options.dim()}, /*keepdim=*/true), options.eps()));
  } catch (const Error& e) {
    throw Error(std::string("normalize: ") + e.what());  // the op the user called, then the part that refused
  }
}

}  // namespace tg::nn::functional
