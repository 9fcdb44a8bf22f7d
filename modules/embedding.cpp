#include <tapegrad/modules/embedding.hpp>

#include <algorithm>
#include <ostream>
#include <string>

#include <tapegrad/core/random.hpp>

namespace tg::nn {

EmbeddingImpl::EmbeddingImpl(const EmbeddingOptions& options) : options_(options) {
  if (options.sparse()) throw Error("Embedding: sparse(true) is not supported (tapegrad has no sparse gradients)");
  if (auto idx = options.padding_idx()) {
    const auto n = std::int64_t(options.num_embeddings());
    if (*idx >= n || *idx < -n)
      throw Error("Embedding: padding_idx " + std::to_string(*idx) + " must be within num_embeddings " + std::to_string(n));
    if (*idx < 0) options_.padding_idx(*idx + n);
  }
  weight = register_parameter("weight", Tensor(Array<float>::from_shape({options.num_embeddings(), options.embedding_dim()})));
  reset_parameters();
}

void EmbeddingImpl::reset_parameters() {
  auto fill = [&](auto* out) {
    using T = std::remove_pointer_t<decltype(out)>;
    const Array<T> values = randn<T>(weight.shape());
    std::copy(values.begin(), values.end(), out);
    if (auto idx = options_.padding_idx()) std::fill_n(out + *idx * options_.embedding_dim(), options_.embedding_dim(), T(0));
  };
  if (weight.scalar_type() == kDouble) fill(weight.data_ptr<double>());
  else fill(weight.data_ptr<float>());
}

Tensor EmbeddingImpl::forward(const Tensor& indices) {
  return functional::embedding(indices, weight,
                               functional::EmbeddingFuncOptions()
                                   .padding_idx(options_.padding_idx())
                                   .max_norm(options_.max_norm())
                                   .norm_type(options_.norm_type())
                                   .scale_grad_by_freq(options_.scale_grad_by_freq()));
}

void EmbeddingImpl::pretty_print(std::ostream& stream) const {
  stream << "Embedding(num_embeddings=" << options_.num_embeddings() << ", embedding_dim=" << options_.embedding_dim();
  if (auto idx = options_.padding_idx()) stream << ", padding_idx=" << *idx;
  if (auto max_norm = options_.max_norm()) stream << ", max_norm=" << *max_norm;
  if (options_.norm_type() != 2.0) stream << ", norm_type=" << options_.norm_type();
  if (options_.scale_grad_by_freq()) stream << ", scale_grad_by_freq=true";
  stream << ")";
}

}  // namespace tg::nn
