#include <tapegrad/modules/max_pool2d.hpp>

#include <ostream>

#include <tapegrad/ops/pool.hpp>

namespace tg::nn {

Tensor MaxPool2dImpl::forward(const Tensor& x) {
  return tg::max_pool2d(x, options_.kernel_size(), options_.stride(), options_.padding());
}

void MaxPool2dImpl::pretty_print(std::ostream& stream) const {
  stream << "MaxPool2d(kernel_size=" << options_.kernel_size() << ", stride=" << options_.stride()
         << ", padding=" << options_.padding() << ")";
}

}  // namespace tg::nn
