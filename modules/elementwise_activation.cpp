#include <tapegrad/modules/elementwise_activation.hpp>

#include <sstream>

namespace tg::nn {

namespace F = functional;

namespace {

// LibTorch's ", inplace=true" (or "inplace=true" first), printed only when set.
const char* inplace_note(bool inplace, bool first = false) {
  if (!inplace) return "";
  return first ? "inplace=true" : ", inplace=true";
}

}  // namespace

ELUImpl::ELUImpl(const ELUOptions& options) : options_(options) {}
Tensor ELUImpl::forward(const Tensor& x) { return F::elu(x, options_); }
void ELUImpl::pretty_print(std::ostream& stream) const {
  stream << "ELU(alpha=" << options_.alpha() << inplace_note(options_.inplace()) << ")";
}

SELUImpl::SELUImpl(const SELUOptions& options) : options_(options) {}
Tensor SELUImpl::forward(const Tensor& x) { return F::selu(x, options_); }
void SELUImpl::pretty_print(std::ostream& stream) const {
  stream << "SELU(" << inplace_note(options_.inplace(), true) << ")";
}

CELUImpl::CELUImpl(const CELUOptions& options) : options_(options) {}
Tensor CELUImpl::forward(const Tensor& x) { return F::celu(x, options_); }
void CELUImpl::pretty_print(std::ostream& stream) const {
  stream << "CELU(alpha=" << options_.alpha() << inplace_note(options_.inplace()) << ")";
}

SoftplusImpl::SoftplusImpl(const SoftplusOptions& options) : options_(options) {}
Tensor SoftplusImpl::forward(const Tensor& x) { return F::softplus(x, options_); }
void SoftplusImpl::pretty_print(std::ostream& stream) const {
  stream << "Softplus(beta=" << options_.beta() << ", threshold=" << options_.threshold() << ")";
}

HardtanhImpl::HardtanhImpl(const HardtanhOptions& options) : options_(options) {
  if (!(options_.max_val() > options_.min_val())) {
    std::ostringstream got;
    got << "min_val=" << options_.min_val() << " and max_val=" << options_.max_val();
    throw Error("Hardtanh: max_val must be greater than min_val, got " + got.str());
  }
}
Tensor HardtanhImpl::forward(const Tensor& x) { return F::hardtanh(x, options_); }
void HardtanhImpl::pretty_print(std::ostream& stream) const {
  stream << "Hardtanh(min_val=" << options_.min_val() << ", max_val=" << options_.max_val()
         << inplace_note(options_.inplace()) << ")";
}

ReLU6Impl::ReLU6Impl(const ReLU6Options& options) : options_(options) {}
Tensor ReLU6Impl::forward(const Tensor& x) { return F::relu6(x, options_); }
void ReLU6Impl::pretty_print(std::ostream& stream) const {
  stream << "ReLU6(" << inplace_note(options_.inplace(), true) << ")";
}

SoftshrinkImpl::SoftshrinkImpl(const SoftshrinkOptions& options) : options_(options) {}
Tensor SoftshrinkImpl::forward(const Tensor& x) { return F::softshrink(x, options_); }
void SoftshrinkImpl::pretty_print(std::ostream& stream) const { stream << "Softshrink(" << options_.lambda() << ")"; }

HardshrinkImpl::HardshrinkImpl(const HardshrinkOptions& options) : options_(options) {}
Tensor HardshrinkImpl::forward(const Tensor& x) { return F::hardshrink(x, options_); }
void HardshrinkImpl::pretty_print(std::ostream& stream) const { stream << "Hardshrink(" << options_.lambda() << ")"; }

RReLUImpl::RReLUImpl(const RReLUOptions& options) : options_(options) {}
Tensor RReLUImpl::forward(const Tensor& x) {
  return F::rrelu(x, F::RReLUFuncOptions().lower(options_.lower()).upper(options_.upper()).training(is_training()));
}
void RReLUImpl::pretty_print(std::ostream& stream) const {
  stream << "RReLU(lower=" << options_.lower() << ", upper=" << options_.upper() << inplace_note(options_.inplace())
         << ")";
}

ThresholdImpl::ThresholdImpl(const ThresholdOptions& options) : options_(options) {}
ThresholdImpl::ThresholdImpl(double threshold, double value) : options_(threshold, value) {}
Tensor ThresholdImpl::forward(const Tensor& x) { return F::threshold(x, options_); }
void ThresholdImpl::pretty_print(std::ostream& stream) const {
  stream << "Threshold(threshold=" << options_.threshold() << ", value=" << options_.value()
         << inplace_note(options_.inplace()) << ")";
}

Tensor SiLUImpl::forward(const Tensor& x) { return tg::silu(x); }
void SiLUImpl::pretty_print(std::ostream& stream) const { stream << "SiLU()"; }

Tensor MishImpl::forward(const Tensor& x) { return tg::mish(x); }
void MishImpl::pretty_print(std::ostream& stream) const { stream << "Mish()"; }

Tensor HardsigmoidImpl::forward(const Tensor& x) { return tg::hardsigmoid(x); }
void HardsigmoidImpl::pretty_print(std::ostream& stream) const { stream << "Hardsigmoid()"; }

Tensor HardswishImpl::forward(const Tensor& x) { return tg::hardswish(x); }
void HardswishImpl::pretty_print(std::ostream& stream) const { stream << "Hardswish()"; }

Tensor LogSigmoidImpl::forward(const Tensor& x) { return tg::log_sigmoid(x); }
void LogSigmoidImpl::pretty_print(std::ostream& stream) const { stream << "LogSigmoid()"; }

Tensor SoftsignImpl::forward(const Tensor& x) { return tg::softsign(x); }
void SoftsignImpl::pretty_print(std::ostream& stream) const { stream << "Softsign()"; }

Tensor TanhshrinkImpl::forward(const Tensor& x) { return tg::tanhshrink(x); }
void TanhshrinkImpl::pretty_print(std::ostream& stream) const { stream << "Tanhshrink()"; }

}  // namespace tg::nn
