#include <tapegrad/modules/flatten.hpp>

#include <ostream>

#include <tapegrad/ops/shape.hpp>

namespace tg::nn {

Tensor FlattenImpl::forward(const Tensor& x) { return tg::flatten(x, start_dim_, end_dim_); }

void FlattenImpl::pretty_print(std::ostream& stream) const {
  stream << "Flatten(start_dim=" << start_dim_ << ", end_dim=" << end_dim_ << ")";
}

}  // namespace tg::nn
