#include <tapegrad/modules/pool1d.hpp>

#include <cstdint>
#include <ostream>

namespace tg::nn {
namespace {

std::int64_t signed_size(std::size_t v) { return static_cast<std::int64_t>(v); }

}  // namespace

Tensor MaxPool1dImpl::forward(const Tensor& x) {
  return tg::max_pool1d(x, signed_size(options_.kernel_size()), signed_size(options_.stride()),
                        signed_size(options_.padding()));
}

void MaxPool1dImpl::pretty_print(std::ostream& stream) const {
  stream << "MaxPool1d(kernel_size=[" << options_.kernel_size() << "], stride=[" << options_.stride()
         << "], padding=[" << options_.padding() << "])";
}

Tensor AvgPool1dImpl::forward(const Tensor& x) {
  return tg::avg_pool1d(x, signed_size(options_.kernel_size()), signed_size(options_.stride()),
                        signed_size(options_.padding()), options_.ceil_mode(), options_.count_include_pad());
}

void AvgPool1dImpl::pretty_print(std::ostream& stream) const {
  stream << "AvgPool1d(kernel_size=[" << options_.kernel_size() << "], stride=[" << options_.stride()
         << "], padding=[" << options_.padding() << "])";
}

}  // namespace tg::nn
