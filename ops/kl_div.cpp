#include <string>

#include <tapegrad/ops/loss_options.hpp>
#include <tapegrad/ops/tensor_ops.hpp>

namespace tg::nn::functional {

Tensor kl_div(const Tensor& input, const Tensor& target, const KLDivFuncOptions& options) {
  Tensor loss;
  try {
    if (options.log_target()) {
      loss = mul(exp(target), sub(target, input));
    } else {
      // target * log(target) taken as 0 at target == 0 (xlogy's rule); log(1) there keeps the gradient finite.
      loss = mul(target, sub(log(where(ne(target, 0), target, 1)), input));
    }
  } catch (const Error& e) {
    throw Error(std::string("kl_div: ") + e.what());  // the op the user called, then the part that refused
  }
  if (std::holds_alternative<enumtype::kBatchMean>(options.reduction()))
    return input.dim() == 0 ? sum(loss) : div(sum(loss), input.size(0));
  const Reduction r = std::get<Reduction>(options.reduction());
  return r == Reduction::None ? loss : r == Reduction::Sum ? sum(loss) : mean(loss);
}

}  // namespace tg::nn::functional
