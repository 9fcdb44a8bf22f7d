#include <tapegrad/modules/embedding.hpp>

#include <algorithm>
#include <ostream>
#include <string>

#include <tapegrad/core/random.hpp>
#include <tapegrad/ops/embedding.hpp>

namespace tg::nn {

Embedding::Embedding(const EmbeddingOptions& options) : options_(options) {
  if (auto idx = options.padding_idx()) {
    const auto n = std::int64_t(options.num_embeddings());
    if (*idx >= n || *idx < -n)
      throw Error("Embedding: padding_idx " + std::to_string(*idx) + " must be within num_embeddings " + std::to_string(n));
    if (*idx < 0) options_.padding_idx(*idx + n);
  }
  weight = register_parameter("weight", Array<float>::from_shape({options.num_embeddings(), options.embedding_dim()}));
  reset_parameters();
}

void Embedding::reset_parameters() {
  weight.value() = randn<float>(weight.shape());
  if (auto idx = options_.padding_idx())
    std::fill_n(weight.value().data() + *idx * options_.embedding_dim(), options_.embedding_dim(), 0.f);
}

Variable<float> Embedding::forward(const Labels& indices) { return tg::embedding(weight, indices, options_.padding_idx()); }

void Embedding::pretty_print(std::ostream& stream) const {
  stream << "Embedding(num_embeddings=" << options_.num_embeddings() << ", embedding_dim=" << options_.embedding_dim();
  if (auto idx = options_.padding_idx()) stream << ", padding_idx=" << *idx;
  stream << ")";
}

}  // namespace tg::nn
