#include <tapegrad/modules/flatten.hpp>

#include <ostream>

#include <tapegrad/ops/shape.hpp>

namespace tg::nn {

Tensor FlattenImpl::forward(const Tensor& x) { return tg::flatten(x, start_dim_, end_dim_); }

Tensor UnflattenImpl::forward(const Tensor& x) { return tg::unflatten(x, options_.dim(), options_.sizes()); }

void FlattenImpl::pretty_print(std::ostream& stream) const {
  stream << "Flatten(start_dim=" << start_dim_ << ", end_dim=" << end_dim_ << ")";
}

void UnflattenImpl::pretty_print(std::ostream& stream) const {
  stream << "Unflatten(dim=" << options_.dim() << ", unflattened_size={";
  for (std::size_t i = 0; i < options_.sizes().size(); ++i) stream << (i ? ", " : "") << options_.sizes()[i];
  stream << "})";
}

}  // namespace tg::nn
