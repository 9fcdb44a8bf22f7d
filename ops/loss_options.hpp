// LibTorch's option builders for the losses (torch::nn::CrossEntropyLossOptions, ...) and the
// tg::nn::functional spellings that take them (F::cross_entropy(x, y, F::CrossEntropyFuncOptions()
// .label_smoothing(0.1))). The loss modules (modules/loss.hpp) are built from the same options.
//
// Where tapegrad differs: every options class also converts from a Reduction
// (CrossEntropyLossOptions(tg::kSum)), and a weight is given as a Variable of either scalar type
// and used in the type of the loss's input.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <variant>

#include <tapegrad/core/dispatch.hpp>
#include <tapegrad/core/enum.hpp>
#include <tapegrad/ops/loss.hpp>

namespace tg::nn {
namespace detail {

// An optional constant tensor in an options object: kept in float64, handed to a loss in its type.
class OptionalTensor {
 public:
  template <class T>
  void set(const Variable<T>& v) {
    if (!v.defined()) {
      value_.reset();
      return;
    }
    auto a = make_shared_array<double>(Array<double>::from_shape(v.shape()));
    std::copy(v.value().begin(), v.value().end(), a->begin());
    value_ = std::move(a);
  }
  // Undefined when not set.
  template <class T>
  Variable<T> get() const {
    if (!value_) return Variable<T>();
    Array<T> a = Array<T>::from_shape(value_->shape());
    std::copy(value_->begin(), value_->end(), a.begin());
    return Variable<T>(std::move(a));
  }
  bool defined() const { return value_ != nullptr; }

 private:
  std::shared_ptr<const Array<double>> value_;
};

}  // namespace detail

#define TG_LOSS_REDUCTION_OPTION(Options)                          \
  Options(Reduction reduction = kMean) : reduction_(reduction) {}  \
  Options& reduction(Reduction v) {                                \
    reduction_ = v;                                                \
    return *this;                                                  \
  }                                                                \
  Reduction reduction() const { return reduction_; }

#define TG_LOSS_WEIGHT_OPTION(Options, name)                 \
  template <class T>                                         \
  Options& name(const Variable<T>& v) {                      \
    name##_.set(v);                                          \
    return *this;                                            \
  }                                                          \
  template <class T = float>                                 \
  Variable<T> name() const {                                 \
    return name##_.template get<T>();                        \
  }

class NLLLossOptions {
 public:
  TG_LOSS_REDUCTION_OPTION(NLLLossOptions)
  TG_LOSS_WEIGHT_OPTION(NLLLossOptions, weight)
  NLLLossOptions& ignore_index(std::int64_t v) { ignore_index_ = v; return *this; }
  std::int64_t ignore_index() const { return ignore_index_; }

 private:
  Reduction reduction_;
  detail::OptionalTensor weight_;
  std::int64_t ignore_index_ = -100;
};

class CrossEntropyLossOptions {
 public:
  TG_LOSS_REDUCTION_OPTION(CrossEntropyLossOptions)
  TG_LOSS_WEIGHT_OPTION(CrossEntropyLossOptions, weight)
  CrossEntropyLossOptions& ignore_index(std::int64_t v) { ignore_index_ = v; return *this; }
  std::int64_t ignore_index() const { return ignore_index_; }
  CrossEntropyLossOptions& label_smoothing(double v) { label_smoothing_ = v; return *this; }
  double label_smoothing() const { return label_smoothing_; }

 private:
  Reduction reduction_;
  detail::OptionalTensor weight_;
  std::int64_t ignore_index_ = -100;
  double label_smoothing_ = 0.0;
};

class BCELossOptions {
 public:
  TG_LOSS_REDUCTION_OPTION(BCELossOptions)
  TG_LOSS_WEIGHT_OPTION(BCELossOptions, weight)

 private:
  Reduction reduction_;
  detail::OptionalTensor weight_;
};

class BCEWithLogitsLossOptions {
 public:
  TG_LOSS_REDUCTION_OPTION(BCEWithLogitsLossOptions)
  TG_LOSS_WEIGHT_OPTION(BCEWithLogitsLossOptions, weight)
  TG_LOSS_WEIGHT_OPTION(BCEWithLogitsLossOptions, pos_weight)

 private:
  Reduction reduction_;
  detail::OptionalTensor weight_, pos_weight_;
};

class SmoothL1LossOptions {
 public:
  TG_LOSS_REDUCTION_OPTION(SmoothL1LossOptions)
  SmoothL1LossOptions& beta(double v) { beta_ = v; return *this; }
  double beta() const { return beta_; }

 private:
  Reduction reduction_;
  double beta_ = 1.0;
};

class HuberLossOptions {
 public:
  TG_LOSS_REDUCTION_OPTION(HuberLossOptions)
  HuberLossOptions& delta(double v) { delta_ = v; return *this; }
  double delta() const { return delta_; }

 private:
  Reduction reduction_;
  double delta_ = 1.0;
};

class L1LossOptions {
 public:
  TG_LOSS_REDUCTION_OPTION(L1LossOptions)

 private:
  Reduction reduction_;
};

class MSELossOptions {
 public:
  TG_LOSS_REDUCTION_OPTION(MSELossOptions)

 private:
  Reduction reduction_;
};

// kl_div's reduction is LibTorch's variant of kNone, kBatchMean, kSum and kMean: here a Reduction or
// the tag tg::kBatchMean, so KLDivLossOptions(tg::kBatchMean) and .reduction(tg::kSum) read as in
// LibTorch. kBatchMean divides the summed loss by the batch size (input.size(0)); kMean divides by the
// number of elements.
class KLDivLossOptions {
 public:
  using reduction_t = std::variant<Reduction, enumtype::kBatchMean>;
  KLDivLossOptions(Reduction reduction = kMean) : reduction_(reduction) {}  // NOLINT: implicit, as LibTorch's
  KLDivLossOptions(enumtype::kBatchMean reduction) : reduction_(reduction) {}  // NOLINT: implicit, as LibTorch's
  KLDivLossOptions& reduction(reduction_t v) { return reduction_ = v, *this; }
  reduction_t reduction() const { return reduction_; }
  // Whether target holds log-probabilities, as input does.
  KLDivLossOptions& log_target(bool v) { return log_target_ = v, *this; }
  bool log_target() const { return log_target_; }

 private:
  reduction_t reduction_;
  bool log_target_ = false;
};

#undef TG_LOSS_REDUCTION_OPTION
#undef TG_LOSS_WEIGHT_OPTION

}  // namespace tg::nn

namespace tg::nn::functional {

using NLLLossFuncOptions = NLLLossOptions;
using CrossEntropyFuncOptions = CrossEntropyLossOptions;
using BinaryCrossEntropyFuncOptions = BCELossOptions;
using BinaryCrossEntropyWithLogitsFuncOptions = BCEWithLogitsLossOptions;
using SmoothL1LossFuncOptions = SmoothL1LossOptions;
using HuberLossFuncOptions = HuberLossOptions;
using L1LossFuncOptions = L1LossOptions;
using MSELossFuncOptions = MSELossOptions;
using KLDivFuncOptions = KLDivLossOptions;

template <class T>
Variable<T> nll_loss(const Variable<T>& input, const Labels& target, const NLLLossFuncOptions& options) {
  return tg::nll_loss(input, target, options.weight<T>(), options.reduction(), options.ignore_index());
}

template <class T>
Variable<T> cross_entropy(const Variable<T>& input, const Labels& target, const CrossEntropyFuncOptions& options) {
  return tg::cross_entropy(input, target, options.weight<T>(), options.reduction(), options.ignore_index(),
                           options.label_smoothing());
}

template <class T>
Variable<T> binary_cross_entropy(const Variable<T>& input, const Variable<T>& target,
                                 const BinaryCrossEntropyFuncOptions& options) {
  return tg::binary_cross_entropy(input, target, options.weight<T>(), options.reduction());
}

template <class T>
Variable<T> binary_cross_entropy_with_logits(const Variable<T>& input, const Variable<T>& target,
                                             const BinaryCrossEntropyWithLogitsFuncOptions& options) {
  return tg::binary_cross_entropy_with_logits(input, target, options.weight<T>(), options.pos_weight<T>(),
                                              options.reduction());
}

// LibTorch 1.13's F::smooth_l1_loss takes beta as a separate argument (default 1) and ignores
// options.beta(); here options.beta() is used unless beta is passed.
template <class T>
Variable<T> smooth_l1_loss(const Variable<T>& input, const Variable<T>& target,
                           const SmoothL1LossFuncOptions& options, std::optional<double> beta = std::nullopt) {
  return tg::smooth_l1_loss(input, target, options.reduction(), beta.value_or(options.beta()));
}

template <class T>
Variable<T> huber_loss(const Variable<T>& input, const Variable<T>& target, const HuberLossFuncOptions& options) {
  return tg::huber_loss(input, target, options.reduction(), options.delta());
}

template <class T>
Variable<T> l1_loss(const Variable<T>& input, const Variable<T>& target, const L1LossFuncOptions& options) {
  return tg::l1_loss(input, target, options.reduction());
}

template <class T>
Variable<T> mse_loss(const Variable<T>& input, const Variable<T>& target, const MSELossFuncOptions& options) {
  return tg::mse_loss(input, target, options.reduction());
}

// Kullback-Leibler divergence of target from input, which holds log-probabilities: elementwise
// target * (log(target) - input), 0 where target is 0 (exp(target) * (target - input) with
// log_target), input and target broadcast together; then reduced. A composite (ops/kl_div.cpp).
Tensor kl_div(const Tensor& input, const Tensor& target, const KLDivFuncOptions& options = {});

template <class T>
Variable<T> kl_div(const Variable<T>& input, const Variable<T>& target, const KLDivFuncOptions& options = {}) {
  return kl_div(Tensor(input), Tensor(target), options).template variable<T>();
}

// The same on Tensors (LibTorch's spelling: F::cross_entropy(logits, targets, options)); the options'
// weights take the input's dtype, class targets are a Long tensor.
inline Tensor nll_loss(const Tensor& input, const Tensor& target, const NLLLossFuncOptions& options) {
  return dispatch_floating(input, "nll_loss",
                           [&](const auto& v) { return nll_loss(v, target.value<std::int64_t>(), options); });
}
inline Tensor cross_entropy(const Tensor& input, const Tensor& target, const CrossEntropyFuncOptions& options) {
  return dispatch_floating(input, "cross_entropy",
                           [&](const auto& v) { return cross_entropy(v, target.value<std::int64_t>(), options); });
}
inline Tensor binary_cross_entropy(const Tensor& input, const Tensor& target,
                                   const BinaryCrossEntropyFuncOptions& options) {
  return dispatch_floating(input, target, "binary_cross_entropy",
                           [&](const auto& x, const auto& y) { return binary_cross_entropy(x, y, options); });
}
inline Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target,
                                               const BinaryCrossEntropyWithLogitsFuncOptions& options) {
  return dispatch_floating(input, target, "binary_cross_entropy_with_logits", [&](const auto& x, const auto& y) {
    return binary_cross_entropy_with_logits(x, y, options);
  });
}
inline Tensor smooth_l1_loss(const Tensor& input, const Tensor& target, const SmoothL1LossFuncOptions& options,
                             std::optional<double> beta = std::nullopt) {
  return dispatch_floating(input, target, "smooth_l1_loss",
                           [&](const auto& x, const auto& y) { return smooth_l1_loss(x, y, options, beta); });
}
inline Tensor huber_loss(const Tensor& input, const Tensor& target, const HuberLossFuncOptions& options) {
  return dispatch_floating(input, target, "huber_loss",
                           [&](const auto& x, const auto& y) { return huber_loss(x, y, options); });
}
inline Tensor l1_loss(const Tensor& input, const Tensor& target, const L1LossFuncOptions& options) {
  return dispatch_floating(input, target, "l1_loss", [&](const auto& x, const auto& y) { return l1_loss(x, y, options); });
}
inline Tensor mse_loss(const Tensor& input, const Tensor& target, const MSELossFuncOptions& options) {
  return dispatch_floating(input, target, "mse_loss",
                           [&](const auto& x, const auto& y) { return mse_loss(x, y, options); });
}

}  // namespace tg::nn::functional
