// LibTorch's option classes for the activations (nn::ELUOptions, F::ELUFuncOptions, ...), with its
// names, defaults and builder setters, and the F:: forms that take them:
//
//   F::elu(x, F::ELUFuncOptions().alpha(0.5));
//   F::softmax(x, F::SoftmaxFuncOptions(1));
//   F::relu(x, F::ReLUFuncOptions().inplace(false));
//
// `inplace` is accepted and ignored: the result is always a new tensor.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <tapegrad/core/arg.hpp>
#include <tapegrad/core/tensor.hpp>
#include <tapegrad/core/variable.hpp>
#include <tapegrad/ops/activations.hpp>
#include <tapegrad/ops/elementwise_activations.hpp>
#include <tapegrad/ops/glu.hpp>
#include <tapegrad/ops/softmax.hpp>
#include <tapegrad/ops/tensor_ops.hpp>

namespace tg::nn {

struct ELUOptions {
  TG_ARG(double, alpha) = 1.0;
  TG_ARG(bool, inplace) = false;
};

struct SELUOptions {
  SELUOptions(bool inplace = false) : inplace_(inplace) {}  // NOLINT: implicit, as LibTorch's
  TG_ARG(bool, inplace);
};

struct CELUOptions {
  TG_ARG(double, alpha) = 1.0;
  TG_ARG(bool, inplace) = false;
};

struct SoftplusOptions {
  TG_ARG(double, beta) = 1.0;
  TG_ARG(double, threshold) = 20.0;
};

struct HardtanhOptions {
  TG_ARG(double, min_val) = -1.0;
  TG_ARG(double, max_val) = 1.0;
  TG_ARG(bool, inplace) = false;
};

struct ReLUOptions {
  ReLUOptions(bool inplace = false) : inplace_(inplace) {}  // NOLINT: implicit, as LibTorch's
  TG_ARG(bool, inplace);
};

struct ReLU6Options {
  ReLU6Options(bool inplace = false) : inplace_(inplace) {}  // NOLINT: implicit, as LibTorch's
  TG_ARG(bool, inplace);
};

struct LeakyReLUOptions {
  TG_ARG(double, negative_slope) = 0.01;
  TG_ARG(bool, inplace) = false;
};

struct SoftshrinkOptions {
  SoftshrinkOptions(double lambda = 0.5) : lambda_(lambda) {}  // NOLINT: implicit, as LibTorch's
  TG_ARG(double, lambda);
};

struct HardshrinkOptions {
  HardshrinkOptions(double lambda = 0.5) : lambda_(lambda) {}  // NOLINT: implicit, as LibTorch's
  TG_ARG(double, lambda);
};

struct ThresholdOptions {
  ThresholdOptions(double threshold, double value) : threshold_(threshold), value_(value) {}
  TG_ARG(double, threshold);
  TG_ARG(double, value);
  TG_ARG(bool, inplace) = false;
};

// The RReLU layer's; it trains as the module does. F::rrelu takes RReLUFuncOptions below.
struct RReLUOptions {
  TG_ARG(double, lower) = 1.0 / 8.0;
  TG_ARG(double, upper) = 1.0 / 3.0;
  TG_ARG(bool, inplace) = false;
};

struct GLUOptions {
  GLUOptions(std::int64_t dim = -1) : dim_(dim) {}  // NOLINT: implicit, as LibTorch's
  TG_ARG(std::int64_t, dim);
};

}  // namespace tg::nn

namespace tg::nn::functional {

using ELUFuncOptions = ELUOptions;
using SELUFuncOptions = SELUOptions;
using CELUFuncOptions = CELUOptions;
using SoftplusFuncOptions = SoftplusOptions;
using HardtanhFuncOptions = HardtanhOptions;
using ReLUFuncOptions = ReLUOptions;
using ReLU6FuncOptions = ReLU6Options;
using LeakyReLUFuncOptions = LeakyReLUOptions;
using SoftshrinkFuncOptions = SoftshrinkOptions;
using HardshrinkFuncOptions = HardshrinkOptions;
using ThresholdFuncOptions = ThresholdOptions;
using GLUFuncOptions = GLUOptions;

// As LibTorch's, out of training unless told.
struct RReLUFuncOptions {
  TG_ARG(double, lower) = 1.0 / 8.0;
  TG_ARG(double, upper) = 1.0 / 3.0;
  TG_ARG(bool, training) = false;
  TG_ARG(bool, inplace) = false;
};

// dtype: the input is converted to it first.
struct SoftmaxFuncOptions {
  SoftmaxFuncOptions(std::int64_t dim) : dim_(dim) {}  // NOLINT: implicit, as LibTorch's
  TG_ARG(std::int64_t, dim);
  TG_ARG(std::optional<ScalarType>, dtype) = std::nullopt;
};

struct LogSoftmaxFuncOptions {
  LogSoftmaxFuncOptions(std::int64_t dim) : dim_(dim) {}  // NOLINT: implicit, as LibTorch's
  TG_ARG(std::int64_t, dim);
  TG_ARG(std::optional<ScalarType>, dtype) = std::nullopt;
};

// Each on Variable<T> and on a Float or Double Tensor. The new activations take default options, as
// LibTorch's; relu, leaky_relu, softmax and log_softmax keep their plain forms (F::relu(x) is
// tg::relu(x), functional.hpp), so their option forms have none.
#define TG_ACTIVATION_WITH_OPTIONS(name, Options, default_options, ...)                  \
  template <class T>                                                                     \
  Variable<T> name(const Variable<T>& x, [[maybe_unused]] const Options& options default_options) {       \
    return tg::__VA_ARGS__;                                                              \
  }                                                                                      \
  inline Tensor name(const Tensor& x, [[maybe_unused]] const Options& options default_options) {          \
    return tg::__VA_ARGS__;                                                              \
  }
TG_ACTIVATION_WITH_OPTIONS(elu, ELUFuncOptions, = {}, elu(x, options.alpha()))
TG_ACTIVATION_WITH_OPTIONS(selu, SELUFuncOptions, = {}, selu(x))
TG_ACTIVATION_WITH_OPTIONS(celu, CELUFuncOptions, = {}, celu(x, options.alpha()))
TG_ACTIVATION_WITH_OPTIONS(softplus, SoftplusFuncOptions, = {}, softplus(x, options.beta(), options.threshold()))
TG_ACTIVATION_WITH_OPTIONS(hardtanh, HardtanhFuncOptions, = {}, hardtanh(x, options.min_val(), options.max_val()))
TG_ACTIVATION_WITH_OPTIONS(relu6, ReLU6FuncOptions, = {}, relu6(x))
TG_ACTIVATION_WITH_OPTIONS(softshrink, SoftshrinkFuncOptions, = {}, softshrink(x, options.lambda()))
TG_ACTIVATION_WITH_OPTIONS(hardshrink, HardshrinkFuncOptions, = {}, hardshrink(x, options.lambda()))
TG_ACTIVATION_WITH_OPTIONS(rrelu, RReLUFuncOptions, = {}, rrelu(x, options.lower(), options.upper(), options.training()))
TG_ACTIVATION_WITH_OPTIONS(glu, GLUFuncOptions, = {}, glu(x, options.dim()))
TG_ACTIVATION_WITH_OPTIONS(threshold, ThresholdFuncOptions, , threshold(x, options.threshold(), options.value()))
TG_ACTIVATION_WITH_OPTIONS(relu, ReLUFuncOptions, , relu(x))
TG_ACTIVATION_WITH_OPTIONS(leaky_relu, LeakyReLUFuncOptions, , leaky_relu(x, options.negative_slope()))
#undef TG_ACTIVATION_WITH_OPTIONS

// softmax and log_softmax with options convert a Tensor to options.dtype() first; a Variable<T>
// cannot change its type, so a dtype other than T's throws.
#define TG_SOFTMAX_WITH_OPTIONS(name, Options)                                                              \
  template <class T>                                                                                      \
  Variable<T> name(const Variable<T>& x, const Options& options) {                                       \
    if (options.dtype() && *options.dtype() != scalar_type_v<T>)                                          \
      throw Error(std::string(#name ": a Variable<") + to_string(scalar_type_v<T>) +                      \
                  "> cannot be converted to the dtype " + to_string(*options.dtype()) + "; use a Tensor"); \
    return tg::name(x, options.dim());                                                                    \
  }                                                                                                       \
  inline Tensor name(const Tensor& x, const Options& options) { return tg::name(x, options.dim(), options.dtype()); }
TG_SOFTMAX_WITH_OPTIONS(softmax, SoftmaxFuncOptions)
TG_SOFTMAX_WITH_OPTIONS(log_softmax, LogSoftmaxFuncOptions)
#undef TG_SOFTMAX_WITH_OPTIONS

// F::logsigmoid is LibTorch's F:: spelling of torch::log_sigmoid.
template <class T>
Variable<T> logsigmoid(const Variable<T>& x) {
  return tg::log_sigmoid(x);
}
inline Tensor logsigmoid(const Tensor& x) { return tg::log_sigmoid(x); }

}  // namespace tg::nn::functional
