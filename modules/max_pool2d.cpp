#include <tapegrad/modules/max_pool2d.hpp>

#include <ostream>

#include <tapegrad/ops/pool.hpp>

namespace tg::nn {

Variable<float> MaxPool2d::forward(const Variable<float>& x) {
  return tg::max_pool2d(x, options_.kernel_size(), options_.stride(), options_.padding());
}

void MaxPool2d::pretty_print(std::ostream& stream) const {
  stream << "MaxPool2d(kernel_size=" << options_.kernel_size() << ", stride=" << options_.stride()
         << ", padding=" << options_.padding() << ")";
}

}  // namespace tg::nn
