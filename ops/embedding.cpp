#include <tapegrad/ops/embedding.hpp>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include <tapegrad/core/tape.hpp>
#include <tapegrad/ops/tensor_ops.hpp>

namespace tg {

namespace {

template <class T>
void check_indices(const char* op, const Labels& indices, const Array<T>& weight) {
  const std::int64_t rows = std::int64_t(weight.shape()[0]);
  const std::int64_t* idx = indices.data();
  for (std::size_t i = 0; i < indices.size(); ++i)
    if (idx[i] < 0 || idx[i] >= rows)
      throw Error(std::string(op) + ": index " + std::to_string(idx[i]) + " at position " + std::to_string(i) +
                  " is out of range for weight " + shape_str(to_shape(weight.shape())));
}

}  // namespace

template <class T>
Variable<T> embedding(const Variable<T>& weight, const Labels& indices, std::optional<std::int64_t> padding_idx,
                      bool scale_grad_by_freq) {
  if (weight.dim() != 2) throw Error("embedding: expected weight (num_embeddings, embedding_dim), got " + shape_str(weight.shape()));
  const std::size_t rows = weight.shape()[0], D = weight.shape()[1];
  std::int64_t pad = -1;  // none
  if (padding_idx) {
    pad = *padding_idx < 0 ? *padding_idx + std::int64_t(rows) : *padding_idx;
    if (pad < 0 || pad >= std::int64_t(rows))
      throw Error("embedding: padding_idx " + std::to_string(*padding_idx) + " must be within num_embeddings " +
                  std::to_string(rows));
  }
  check_indices("embedding", indices, weight.value());
  const std::int64_t* idx = indices.data();
  const std::size_t n = indices.size();

  Shape out_shape = to_shape(indices.shape());
  out_shape.push_back(D);
  Array<T> y = Array<T>::from_shape(out_shape);
  const T* w = weight.value().data();
  for (std::size_t i = 0; i < n; ++i) std::copy_n(w + idx[i] * D, D, y.data() + i * D);
  return record<T>("embedding", std::move(y), {weight},
                   [ids = std::make_shared<Labels>(indices), rows, D, pad, scale_grad_by_freq](Array<T>& g, Grads<T>& grads) {
                     T* dw = grads.zeroed_buffer(0);
                     const std::int64_t* idx = ids->data();
                     for (std::size_t i = 0; i < ids->size(); ++i) {
                       if (idx[i] == pad) continue;
                       T* row = dw + idx[i] * D;
                       const T* gi = g.data() + i * D;
                       for (std::size_t k = 0; k < D; ++k) row[k] += gi[k];
                     }
                     if (!scale_grad_by_freq) return;
                     std::vector<std::size_t> count(rows, 0);
                     for (std::size_t i = 0; i < ids->size(); ++i) ++count[std::size_t(idx[i])];
                     for (std::size_t r = 0; r < rows; ++r)
                       if (count[r] > 1)
                         for (std::size_t k = 0; k < D; ++k) dw[r * D + k] /= T(count[r]);
                   });
}

template <class T>
void embedding_renorm_(Array<T>& weight, const Labels& indices, double max_norm, double norm_type) {
  if (weight.dimension() != 2) throw Error("embedding_renorm_: expected weight (num_embeddings, embedding_dim), got " + shape_str(to_shape(weight.shape())));
  if (!(norm_type > 0)) throw Error("embedding: norm_type must be > 0 (or infinity), got " + std::to_string(norm_type));
  if (!(max_norm >= 0)) throw Error("embedding: max_norm must be >= 0, got " + std::to_string(max_norm));
  check_indices("embedding_renorm_", indices, weight);
  const std::size_t rows = weight.shape()[0], D = weight.shape()[1];
  std::vector<bool> done(rows, false);
  for (const std::int64_t i : indices) {
    if (done[std::size_t(i)]) continue;
    done[std::size_t(i)] = true;
    T* row = weight.data() + std::size_t(i) * D;
    double norm = 0;
    if (std::isinf(norm_type)) {
      for (std::size_t k = 0; k < D; ++k) norm = std::max(norm, double(std::abs(row[k])));
    } else {
      for (std::size_t k = 0; k < D; ++k) norm += std::pow(double(std::abs(row[k])), norm_type);
      norm = std::pow(norm, 1.0 / norm_type);
    }
    if (norm > max_norm) {
      const T scale = T(max_norm / (norm + 1e-7));
      for (std::size_t k = 0; k < D; ++k) row[k] *= scale;
    }
  }
}

#define TG_INSTANTIATE(T)                                                                                     \
  template Variable<T> embedding(const Variable<T>&, const Labels&, std::optional<std::int64_t>, bool);     \
  template void embedding_renorm_(Array<T>&, const Labels&, double, double);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)
#undef TG_INSTANTIATE

}  // namespace tg

namespace tg::nn::functional {

Tensor embedding(const Tensor& input, const Tensor& weight, const EmbeddingFuncOptions& options) {
  if (options.sparse())
    throw Error("embedding: EmbeddingFuncOptions().sparse(true) is not supported (tapegrad has no sparse gradients)");
  if (options.max_norm()) {
    if (!input.defined() || input.scalar_type() != kLong)
      throw Error("embedding: expected input (the indices) to be a Long tensor");
    if (!weight.is_floating_point()) throw Error("embedding: expected a Float or Double weight");
    Tensor table = weight;  // the same handle: the renormalised rows are the caller's
    const Labels& idx = input.value<std::int64_t>();
    if (weight.scalar_type() == kFloat) embedding_renorm_(table.value<float>(), idx, *options.max_norm(), options.norm_type());
    else embedding_renorm_(table.value<double>(), idx, *options.max_norm(), options.norm_type());
  }
  return tg::embedding(weight, input, options.padding_idx(), options.scale_grad_by_freq());
}

}  // namespace tg::nn::functional
