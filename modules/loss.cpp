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
Variable<float> register_weight(Module& module, const char* name, const Variable<float>& weight) {
  return weight.defined() ? module.register_buffer(name, weight.value()) : Variable<float>();
}

}  // namespace

NLLLoss::NLLLoss(NLLLossOptions options)
    : options_(std::move(options)), weight_(register_weight(*this, "weight", options_.weight())) {}

Variable<float> NLLLoss::forward(const Variable<float>& log_probs, const Labels& target) {
  return tg::nll_loss(log_probs, target, weight_, options_.reduction(), options_.ignore_index());
}

void NLLLoss::pretty_print(std::ostream& stream) const {
  stream << "NLLLoss("
         << Repr(options_.reduction()).add_if(options_.ignore_index() != -100, "ignore_index", options_.ignore_index()).str()
         << ")";
}

CrossEntropyLoss::CrossEntropyLoss(CrossEntropyLossOptions options)
    : options_(std::move(options)), weight_(register_weight(*this, "weight", options_.weight())) {}

Variable<float> CrossEntropyLoss::forward(const Variable<float>& logits, const Labels& target) {
  return tg::cross_entropy(logits, target, weight_, options_.reduction(), options_.ignore_index(),
                           options_.label_smoothing());
}

void CrossEntropyLoss::pretty_print(std::ostream& stream) const {
  stream << "CrossEntropyLoss("
         << Repr(options_.reduction())
                .add_if(options_.ignore_index() != -100, "ignore_index", options_.ignore_index())
                .add_if(options_.label_smoothing() != 0.0, "label_smoothing", options_.label_smoothing())
                .str()
         << ")";
}

BCELoss::BCELoss(BCELossOptions options)
    : options_(std::move(options)), weight_(register_weight(*this, "weight", options_.weight())) {}

Variable<float> BCELoss::forward(const Variable<float>& input, const Variable<float>& target) {
  return tg::binary_cross_entropy(input, target, weight_, options_.reduction());
}

void BCELoss::pretty_print(std::ostream& stream) const { stream << "BCELoss(" << Repr(options_.reduction()).str() << ")"; }

BCEWithLogitsLoss::BCEWithLogitsLoss(BCEWithLogitsLossOptions options)
    : options_(std::move(options)),
      weight_(register_weight(*this, "weight", options_.weight())),
      pos_weight_(register_weight(*this, "pos_weight", options_.pos_weight())) {}

Variable<float> BCEWithLogitsLoss::forward(const Variable<float>& input, const Variable<float>& target) {
  return tg::binary_cross_entropy_with_logits(input, target, weight_, pos_weight_, options_.reduction());
}

void BCEWithLogitsLoss::pretty_print(std::ostream& stream) const {
  stream << "BCEWithLogitsLoss(" << Repr(options_.reduction()).str() << ")";
}

Variable<float> L1Loss::forward(const Variable<float>& input, const Variable<float>& target) {
  return tg::l1_loss(input, target, options_.reduction());
}

void L1Loss::pretty_print(std::ostream& stream) const { stream << "L1Loss(" << Repr(options_.reduction()).str() << ")"; }

Variable<float> MSELoss::forward(const Variable<float>& input, const Variable<float>& target) {
  return tg::mse_loss(input, target, options_.reduction());
}

void MSELoss::pretty_print(std::ostream& stream) const { stream << "MSELoss(" << Repr(options_.reduction()).str() << ")"; }

Variable<float> SmoothL1Loss::forward(const Variable<float>& input, const Variable<float>& target) {
  return tg::smooth_l1_loss(input, target, options_.reduction(), options_.beta());
}

void SmoothL1Loss::pretty_print(std::ostream& stream) const {
  stream << "SmoothL1Loss(" << Repr(options_.reduction()).add_if(options_.beta() != 1.0, "beta", options_.beta()).str()
         << ")";
}

Variable<float> HuberLoss::forward(const Variable<float>& input, const Variable<float>& target) {
  return tg::huber_loss(input, target, options_.reduction(), options_.delta());
}

void HuberLoss::pretty_print(std::ostream& stream) const {
  stream << "HuberLoss(" << Repr(options_.reduction()).add_if(options_.delta() != 1.0, "delta", options_.delta()).str()
         << ")";
}

}  // namespace tg::nn
