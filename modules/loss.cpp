#include <tapegrad/modules/loss.hpp>

#include <ostream>
#include <sstream>
#include <string>

namespace tg::nn {
namespace {

// PyTorch's repr of the options: each only when it is not the default, comma-separated.
class Repr {
 public:
  explicit Repr(Reduction reduction) {
    if (reduction == Reduction::None) add("reduction=none");
    if (reduction == Reduction::Sum) add("reduction=sum");
  }
  Repr& add(const std::string& item) {
    text_ += (text_.empty() ? "" : ", ") + item;
    return *this;
  }
  template <class V>
  Repr& add_if(bool differs, const char* name, V value) {
    if (!differs) return *this;
    std::ostringstream s;
    s << name << "=" << value;
    return add(s.str());
  }
  const std::string& str() const { return text_; }

 private:
  std::string text_;
};

// The options' weight registered as a buffer (as LibTorch), or undefined when there is none.
Tensor register_weight(Module& module, const char* name, const Tensor& weight) {
  return weight.defined() ? module.register_buffer(name, weight) : Tensor();
}

}  // namespace

NLLLossImpl::NLLLossImpl(NLLLossOptions options)
    : options_(std::move(options)), weight_(register_weight(*this, "weight", options_.weight())) {}

Tensor NLLLossImpl::forward(const Tensor& log_probs, const Tensor& target) {
  return tg::nll_loss(log_probs, target, weight_, options_.reduction(), options_.ignore_index());
}

void NLLLossImpl::pretty_print(std::ostream& stream) const {
  stream << "NLLLoss("
         << Repr(options_.reduction()).add_if(options_.ignore_index() != -100, "ignore_index", options_.ignore_index()).str()
         << ")";
}

CrossEntropyLossImpl::CrossEntropyLossImpl(CrossEntropyLossOptions options)
    : options_(std::move(options)), weight_(register_weight(*this, "weight", options_.weight())) {}

Tensor CrossEntropyLossImpl::forward(const Tensor& logits, const Tensor& target) {
  return tg::cross_entropy(logits, target, weight_, options_.reduction(), options_.ignore_index(),
                           options_.label_smoothing());
}

void CrossEntropyLossImpl::pretty_print(std::ostream& stream) const {
  stream << "CrossEntropyLoss("
         << Repr(options_.reduction())
                .add_if(options_.ignore_index() != -100, "ignore_index", options_.ignore_index())
                .add_if(options_.label_smoothing() != 0.0, "label_smoothing", options_.label_smoothing())
                .str()
         << ")";
}

BCELossImpl::BCELossImpl(BCELossOptions options)
    : options_(std::move(options)), weight_(register_weight(*this, "weight", options_.weight())) {}

Tensor BCELossImpl::forward(const Tensor& input, const Tensor& target) {
  return tg::binary_cross_entropy(input, target, weight_, options_.reduction());
}

void BCELossImpl::pretty_print(std::ostream& stream) const { stream << "BCELoss(" << Repr(options_.reduction()).str() << ")"; }

BCEWithLogitsLossImpl::BCEWithLogitsLossImpl(BCEWithLogitsLossOptions options)
    : options_(std::move(options)),
      weight_(register_weight(*this, "weight", options_.weight())),
      pos_weight_(register_weight(*this, "pos_weight", options_.pos_weight())) {}

Tensor BCEWithLogitsLossImpl::forward(const Tensor& input, const Tensor& target) {
  return tg::binary_cross_entropy_with_logits(input, target, weight_, pos_weight_, options_.reduction());
}

void BCEWithLogitsLossImpl::pretty_print(std::ostream& stream) const {
  stream << "BCEWithLogitsLoss(" << Repr(options_.reduction()).str() << ")";
}

Tensor L1LossImpl::forward(const Tensor& input, const Tensor& target) {
  return tg::l1_loss(input, target, options_.reduction());
}

void L1LossImpl::pretty_print(std::ostream& stream) const { stream << "L1Loss(" << Repr(options_.reduction()).str() << ")"; }

Tensor MSELossImpl::forward(const Tensor& input, const Tensor& target) {
  return tg::mse_loss(input, target, options_.reduction());
}

void MSELossImpl::pretty_print(std::ostream& stream) const { stream << "MSELoss(" << Repr(options_.reduction()).str() << ")"; }

Tensor SmoothL1LossImpl::forward(const Tensor& input, const Tensor& target) {
  return tg::smooth_l1_loss(input, target, options_.reduction(), options_.beta());
}

void SmoothL1LossImpl::pretty_print(std::ostream& stream) const {
  stream << "SmoothL1Loss(" << Repr(options_.reduction()).add_if(options_.beta() != 1.0, "beta", options_.beta()).str()
         << ")";
}

Tensor HuberLossImpl::forward(const Tensor& input, const Tensor& target) {
  return tg::huber_loss(input, target, options_.reduction(), options_.delta());
}

void HuberLossImpl::pretty_print(std::ostream& stream) const {
  stream << "HuberLoss(" << Repr(options_.reduction()).add_if(options_.delta() != 1.0, "delta", options_.delta()).str()
         << ")";
}

Tensor KLDivLossImpl::forward(const Tensor& input, const Tensor& target) {
  return functional::kl_div(input, target, options_);
}

void KLDivLossImpl::pretty_print(std::ostream& stream) const {
  const bool batchmean = std::holds_alternative<enumtype::kBatchMean>(options_.reduction());
  stream << "KLDivLoss("
         << Repr(batchmean ? kMean : std::get<Reduction>(options_.reduction()))
                .add_if(batchmean, "reduction", "batchmean")
                .add_if(options_.log_target(), "log_target", "true")
                .str()
         << ")";
}

}  // namespace tg::nn
