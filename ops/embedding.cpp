#include <tapegrad/ops/embedding.hpp>

#include <algorithm>
#include <memory>
#include <string>

#include <tapegrad/core/tape.hpp>

namespace tg {

template <class T>
Variable<T> embedding(const Variable<T>& weight, const Labels& indices, std::optional<std::int64_t> padding_idx) {
  if (weight.dim() != 2) throw Error("embedding: expected weight (num_embeddings, embedding_dim), got " + shape_str(weight.shape()));
  const std::size_t rows = weight.shape()[0], D = weight.shape()[1];
  std::int64_t pad = -1;  // none
  if (padding_idx) {
    pad = *padding_idx < 0 ? *padding_idx + std::int64_t(rows) : *padding_idx;
    if (pad < 0 || pad >= std::int64_t(rows))
      throw Error("embedding: padding_idx " + std::to_string(*padding_idx) + " must be within num_embeddings " +
                  std::to_string(rows));
  }
  const std::int64_t* idx = indices.data();
  const std::size_t n = indices.size();
  for (std::size_t i = 0; i < n; ++i)
    if (idx[i] < 0 || idx[i] >= std::int64_t(rows))
      throw Error("embedding: index " + std::to_string(idx[i]) + " at position " + std::to_string(i) +
                  " is out of range for weight " + shape_str(weight.shape()));

  Shape out_shape = to_shape(indices.shape());
  out_shape.push_back(D);
  Array<T> y = Array<T>::from_shape(out_shape);
  const T* w = weight.value().data();
  for (std::size_t i = 0; i < n; ++i) std::copy_n(w + idx[i] * D, D, y.data() + i * D);
  return record<T>("embedding", std::move(y), {weight},
                   [ids = std::make_shared<Labels>(indices), D, pad](Array<T>& g, Grads<T>& grads) {
                     T* dw = grads.zeroed_buffer(0);
                     const std::int64_t* idx = ids->data();
                     for (std::size_t i = 0; i < ids->size(); ++i) {
                       if (idx[i] == pad) continue;
                       T* row = dw + idx[i] * D;
                       const T* gi = g.data() + i * D;
                       for (std::size_t k = 0; k < D; ++k) row[k] += gi[k];
                     }
                   });
}

template Variable<float> embedding(const Variable<float>&, const Labels&, std::optional<std::int64_t>);
template Variable<double> embedding(const Variable<double>&, const Labels&, std::optional<std::int64_t>);

}  // namespace tg
