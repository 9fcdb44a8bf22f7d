#include <tapegrad/modules/avg_pool2d.hpp>

#include <ostream>

#include <tapegrad/core/dispatch.hpp>
#include <tapegrad/ops/avg_pool.hpp>

namespace tg::nn {

Tensor AvgPool2dImpl::forward(const Tensor& x) { return functional::avg_pool2d(x, options_); }

void AvgPool2dImpl::pretty_print(std::ostream& stream) const {
  stream << "AvgPool2d(kernel_size=" << options_.kernel_size() << ", stride=" << options_.stride()
         << ", padding=" << options_.padding() << ")";
}

Tensor AdaptiveAvgPool2dImpl::forward(const Tensor& x) {
  return functional::adaptive_avg_pool2d(x, options_);
}

void AdaptiveAvgPool2dImpl::pretty_print(std::ostream& stream) const {
  stream << "AdaptiveAvgPool2d(output_size=" << options_.output_size() << ")";
}

}  // namespace tg::nn

namespace tg::nn::functional {

template <class T>
Variable<T> avg_pool2d(const Variable<T>& x, const AvgPool2dFuncOptions& o) {
  return tg::avg_pool2d(x, o.kernel_size(), o.stride(), o.padding(), o.ceil_mode(), o.count_include_pad(),
                        o.divisor_override());
}
template <class T>
Variable<T> adaptive_avg_pool2d(const Variable<T>& x, const AdaptiveAvgPool2dFuncOptions& o) {
  return tg::adaptive_avg_pool2d(x, o.output_size());
}

template Variable<float> avg_pool2d(const Variable<float>&, const AvgPool2dFuncOptions&);
template Variable<double> avg_pool2d(const Variable<double>&, const AvgPool2dFuncOptions&);
template Variable<float> adaptive_avg_pool2d(const Variable<float>&, const AdaptiveAvgPool2dFuncOptions&);
template Variable<double> adaptive_avg_pool2d(const Variable<double>&, const AdaptiveAvgPool2dFuncOptions&);

Tensor avg_pool2d(const Tensor& x, const AvgPool2dFuncOptions& o) {
  return dispatch_floating(x, "avg_pool2d", [&](const auto& v) { return avg_pool2d(v, o); });
}
Tensor adaptive_avg_pool2d(const Tensor& x, const AdaptiveAvgPool2dFuncOptions& o) {
  return dispatch_floating(x, "adaptive_avg_pool2d", [&](const auto& v) { return adaptive_avg_pool2d(v, o); });
}

}  // namespace tg::nn::functional
