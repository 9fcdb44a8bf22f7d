// Tensor's op methods: each is the free function of the same name (ops/tensor_ops.hpp).
#include <tapegrad/core/grad_mode.hpp>
#include <tapegrad/core/tensor.hpp>
#include <tapegrad/ops/tensor_ops.hpp>

namespace tg {

Tensor Tensor::view(IntArrayRef shape) const { return tg::view(*this, shape); }
Tensor Tensor::reshape(IntArrayRef shape) const { return tg::reshape(*this, shape); }
Tensor Tensor::flatten(std::int64_t start_dim, std::int64_t end_dim) const { return tg::flatten(*this, start_dim, end_dim); }
Tensor Tensor::unflatten(std::int64_t dim, IntArrayRef sizes) const { return tg::unflatten(*this, dim, sizes); }
Tensor Tensor::squeeze() const { return tg::squeeze(*this); }
Tensor Tensor::squeeze(std::int64_t dim) const { return tg::squeeze(*this, dim); }
Tensor Tensor::unsqueeze(std::int64_t dim) const { return tg::unsqueeze(*this, dim); }
Tensor Tensor::transpose(std::int64_t dim0, std::int64_t dim1) const { return tg::transpose(*this, dim0, dim1); }
Tensor Tensor::t() const {
  if (dim() > 2) throw Error("t: expected a tensor of at most 2 dims, got shape " + shape_str(shape()));
  return dim() < 2 ? *this : tg::transpose(*this, 0, 1);
}
Tensor Tensor::permute(IntArrayRef dims) const { return tg::permute(*this, dims); }
Tensor Tensor::narrow(std::int64_t dim, std::int64_t start, std::int64_t length) const {
  return tg::narrow(*this, dim, start, length);
}
Tensor Tensor::index_select(std::int64_t dim, const Tensor& index) const { return tg::index_select(*this, dim, index); }
Tensor Tensor::select(std::int64_t dim, std::int64_t index) const { return tg::select(*this, dim, index); }
Tensor Tensor::slice(std::int64_t dim, std::optional<std::int64_t> start, std::optional<std::int64_t> end,
                     std::int64_t step) const {
  const std::int64_t d = dim < 0 ? dim + this->dim() : dim;
  if (d < 0 || d >= this->dim())
    throw Error("slice: dim " + std::to_string(dim) + " is out of range for shape " + shape_str(shape()));
  std::vector<indexing::TensorIndex> indices(static_cast<std::size_t>(d), indexing::Slice());
  indices.emplace_back(indexing::Slice(start, end, step));
  return index(indices);
}
Tensor Tensor::expand(IntArrayRef size) const { return tg::expand(*this, size); }
Tensor Tensor::flip(IntArrayRef dims) const { return tg::flip(*this, dims); }
Tensor Tensor::roll(IntArrayRef shifts, IntArrayRef dims) const { return tg::roll(*this, shifts, dims); }
Tensor Tensor::repeat(IntArrayRef repeats) const { return tg::repeat(*this, repeats); }
std::vector<Tensor> Tensor::split(std::int64_t split_size, std::int64_t dim) const {
  return tg::split(*this, split_size, dim);
}
std::vector<Tensor> Tensor::split(IntArrayRef split_sizes, std::int64_t dim) const {
  return tg::split(*this, split_sizes, dim);
}
std::vector<Tensor> Tensor::chunk(std::int64_t chunks, std::int64_t dim) const { return tg::chunk(*this, chunks, dim); }
Tensor Tensor::gather(std::int64_t dim, const Tensor& index) const { return tg::gather(*this, dim, index); }
Tensor Tensor::scatter(std::int64_t dim, const Tensor& index, const Tensor& src) const {
  return tg::scatter(*this, dim, index, src);
}
Tensor Tensor::scatter(std::int64_t dim, const Tensor& index, const Scalar& value) const {
  return tg::scatter(*this, dim, index, value);
}
Tensor Tensor::scatter_add(std::int64_t dim, const Tensor& index, const Tensor& src) const {
  return tg::scatter_add(*this, dim, index, src);
}
Tensor Tensor::index_add(std::int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha) const {
  return tg::index_add(*this, dim, index, source, alpha);
}
Tensor Tensor::tril(std::int64_t diagonal) const { return tg::tril(*this, diagonal); }
Tensor Tensor::triu(std::int64_t diagonal) const { return tg::triu(*this, diagonal); }
Tensor Tensor::diag(std::int64_t diagonal) const { return tg::diag(*this, diagonal); }
Tensor Tensor::lerp(const Tensor& end, const Scalar& weight) const { return tg::lerp(*this, end, weight); }
Tensor Tensor::lerp(const Tensor& end, const Tensor& weight) const { return tg::lerp(*this, end, weight); }
Tensor Tensor::clone() const {
  check_defined("clone");
  // Every shape op returns a fresh buffer, with the gradient passed through; a clone is the caller's own.
  return detail::mark_copied_view(tg::reshape(*this, sizes()), *this, nullptr);
}

Tensor Tensor::sum() const { return tg::sum(*this); }
Tensor Tensor::sum(IntArrayRef dims, bool keepdim) const { return tg::sum(*this, dims, keepdim); }
Tensor Tensor::mean() const { return tg::mean(*this); }
Tensor Tensor::mean(IntArrayRef dims, bool keepdim) const { return tg::mean(*this, dims, keepdim); }
Tensor Tensor::max() const { return tg::max(*this); }
std::tuple<Tensor, Tensor> Tensor::max(std::int64_t dim, bool keepdim) const { return tg::max(*this, dim, keepdim); }
Tensor Tensor::min() const { return tg::min(*this); }
std::tuple<Tensor, Tensor> Tensor::min(std::int64_t dim, bool keepdim) const { return tg::min(*this, dim, keepdim); }
Tensor Tensor::prod(std::optional<ScalarType> dtype) const { return tg::prod(*this, dtype); }
Tensor Tensor::prod(std::int64_t dim, bool keepdim, std::optional<ScalarType> dtype) const {
  return tg::prod(*this, dim, keepdim, dtype);
}
Tensor Tensor::cumsum(std::int64_t dim, std::optional<ScalarType> dtype) const { return tg::cumsum(*this, dim, dtype); }
std::tuple<Tensor, Tensor> Tensor::sort(std::int64_t dim, bool descending) const { return tg::sort(*this, dim, descending); }
Tensor Tensor::argsort(std::int64_t dim, bool descending) const { return tg::argsort(*this, dim, descending); }
std::tuple<Tensor, Tensor> Tensor::topk(std::int64_t k, std::int64_t dim, bool largest, bool sorted) const {
  return tg::topk(*this, k, dim, largest, sorted);
}
Tensor Tensor::amax(std::int64_t dim, bool keepdim) const { return tg::amax(*this, dim, keepdim); }
Tensor Tensor::argmax() const { return tg::argmax(*this); }
Tensor Tensor::argmax(std::int64_t dim, bool keepdim) const { return tg::argmax(*this, dim, keepdim); }
Tensor Tensor::argmin() const { return tg::argmin(*this); }
Tensor Tensor::argmin(std::int64_t dim, bool keepdim) const { return tg::argmin(*this, dim, keepdim); }
Tensor Tensor::logsumexp(std::int64_t dim, bool keepdim) const { return tg::logsumexp(*this, dim, keepdim); }
Tensor Tensor::softmax(std::int64_t dim, std::optional<ScalarType> dtype) const { return tg::softmax(*this, dim, dtype); }
Tensor Tensor::log_softmax(std::int64_t dim, std::optional<ScalarType> dtype) const {
  return tg::log_softmax(*this, dim, dtype);
}

#define TG_METHOD2(name)                                                           \
  Tensor Tensor::name(const Tensor& other) const { return tg::name(*this, other); } \
  Tensor Tensor::name(const Scalar& other) const { return tg::name(*this, other); }
TG_METHOD2(eq)
TG_METHOD2(ne)
TG_METHOD2(lt)
TG_METHOD2(le)
TG_METHOD2(gt)
TG_METHOD2(ge)
TG_METHOD2(add)
TG_METHOD2(sub)
TG_METHOD2(mul)
TG_METHOD2(div)
#undef TG_METHOD2

Tensor Tensor::neg() const { return tg::neg(*this); }
Tensor Tensor::matmul(const Tensor& other) const { return tg::matmul(*this, other); }
Tensor Tensor::mm(const Tensor& other) const { return tg::mm(*this, other); }
Tensor Tensor::bmm(const Tensor& other) const { return tg::bmm(*this, other); }
Tensor Tensor::addmm(const Tensor& mat1, const Tensor& mat2, const Scalar& beta, const Scalar& alpha) const {
  return tg::addmm(*this, mat1, mat2, beta, alpha);
}
Tensor Tensor::nonzero() const { return tg::nonzero(*this); }
bool Tensor::equal(const Tensor& other) const { return tg::equal(*this, other); }
bool Tensor::allclose(const Tensor& other, double rtol, double atol, bool equal_nan) const {
  return tg::allclose(*this, other, rtol, atol, equal_nan);
}
Tensor Tensor::var() const { return tg::var(*this); }
Tensor Tensor::var(IntArrayRef dims, bool unbiased, bool keepdim) const { return tg::var(*this, dims, unbiased, keepdim); }
Tensor Tensor::std() const { return tg::std(*this); }
Tensor Tensor::std(IntArrayRef dims, bool unbiased, bool keepdim) const { return tg::std(*this, dims, unbiased, keepdim); }
Tensor Tensor::square() const { return tg::square(*this); }
Tensor Tensor::isnan() const { return tg::isnan(*this); }
Tensor Tensor::masked_fill(const Tensor& mask, const Scalar& value) const { return tg::masked_fill(*this, mask, value); }
Tensor Tensor::masked_select(const Tensor& mask) const { return tg::masked_select(*this, mask); }
Tensor Tensor::norm(const Scalar& p) const { return tg::norm(*this, p); }
Tensor Tensor::norm(const std::optional<Scalar>& p, IntArrayRef dim, bool keepdim) const {
  return tg::norm(*this, p, dim, keepdim);
}
Tensor Tensor::all() const { return tg::all(*this); }
Tensor Tensor::all(std::int64_t dim, bool keepdim) const { return tg::all(*this, dim, keepdim); }
Tensor Tensor::any() const { return tg::any(*this); }
Tensor Tensor::any(std::int64_t dim, bool keepdim) const { return tg::any(*this, dim, keepdim); }
Tensor Tensor::pow(const Scalar& exponent) const { return tg::pow(*this, exponent); }
Tensor Tensor::exp() const { return tg::exp(*this); }
Tensor Tensor::log() const { return tg::log(*this); }
Tensor Tensor::sqrt() const { return tg::sqrt(*this); }
Tensor Tensor::abs() const { return tg::abs(*this); }
Tensor Tensor::clamp(const std::optional<Scalar>& min, const std::optional<Scalar>& max) const {
  return tg::clamp(*this, min, max);
}
Tensor Tensor::clamp_min(const Scalar& min) const { return tg::clamp_min(*this, min); }
Tensor Tensor::clamp_max(const Scalar& max) const { return tg::clamp_max(*this, max); }
Tensor Tensor::tanh() const { return tg::tanh(*this); }
Tensor Tensor::sigmoid() const { return tg::sigmoid(*this); }
Tensor Tensor::relu() const { return tg::relu(*this); }
Tensor Tensor::sign() const { return tg::sign(*this); }
Tensor Tensor::log1p() const { return tg::log1p(*this); }
Tensor Tensor::expm1() const { return tg::expm1(*this); }
Tensor Tensor::floor() const { return tg::floor(*this); }
Tensor Tensor::ceil() const { return tg::ceil(*this); }
Tensor Tensor::round() const { return tg::round(*this); }
Tensor Tensor::trunc() const { return tg::trunc(*this); }
Tensor Tensor::sin() const { return tg::sin(*this); }
Tensor Tensor::cos() const { return tg::cos(*this); }
Tensor Tensor::reciprocal() const { return tg::reciprocal(*this); }
Tensor Tensor::rsqrt() const { return tg::rsqrt(*this); }
Tensor Tensor::maximum(const Tensor& other) const { return tg::maximum(*this, other); }
Tensor Tensor::minimum(const Tensor& other) const { return tg::minimum(*this, other); }

// Compound assignment: the out-of-place op, computed without recording, written into this buffer.
// Not recordable, so an operand that requires grad under grad mode is refused too.
#define TG_COMPOUND(op_token, name, inplace_name)                                                  \
  Tensor& Tensor::operator op_token(const Tensor& other) {                                        \
    check_inplace(inplace_name);                                                                   \
    if (other.defined() && other.requires_grad() && GradMode::is_enabled())                        \
      throw Error(inplace_name ": the other operand requires grad; in-place ops are not recorded " \
                               "(use the out-of-place op, or tg::NoGradGuard)");                    \
    NoGradGuard no_grad;                                                                           \
    return assign_inplace(tg::name(*this, other), inplace_name);                                   \
  }                                                                                                \
  Tensor& Tensor::operator op_token(const Scalar& other) {                                        \
    check_inplace(inplace_name);                                                                   \
    NoGradGuard no_grad;                                                                           \
    return assign_inplace(tg::name(*this, other), inplace_name);                                   \
  }
// The in-place scatters, index_add_, lerp_, tril_ and triu_, as compound assignment: x's values replaced by
// the out-of-place op's, which is not recorded, so a src that requires grad under grad mode is refused.
namespace {
void check_unrecorded(const Tensor& operand, const char* op, const char* name) {
  if (operand.defined() && operand.requires_grad() && GradMode::is_enabled())
    throw Error(std::string(op) + ": " + name + " requires grad; in-place ops are not recorded (use the out-of-place op, "
                                  "or tg::NoGradGuard)");
}
}  // namespace
Tensor& Tensor::scatter_(std::int64_t dim, const Tensor& index, const Tensor& src) {
  check_inplace("scatter_");
  check_unrecorded(src, "scatter_", "src");
  NoGradGuard no_grad;
  return assign_inplace(tg::scatter(*this, dim, index, src), "scatter_");
}
Tensor& Tensor::scatter_(std::int64_t dim, const Tensor& index, const Scalar& value) {
  check_inplace("scatter_");
  NoGradGuard no_grad;
  return assign_inplace(tg::scatter(*this, dim, index, value), "scatter_");
}
Tensor& Tensor::scatter_add_(std::int64_t dim, const Tensor& index, const Tensor& src) {
  check_inplace("scatter_add_");
  check_unrecorded(src, "scatter_add_", "src");
  NoGradGuard no_grad;
  return assign_inplace(tg::scatter_add(*this, dim, index, src), "scatter_add_");
}
Tensor& Tensor::index_add_(std::int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha) {
  check_inplace("index_add_");
  check_unrecorded(source, "index_add_", "source");
  NoGradGuard no_grad;
  return assign_inplace(tg::index_add(*this, dim, index, source, alpha), "index_add_");
}
Tensor& Tensor::lerp_(const Tensor& end, const Scalar& weight) {
  check_inplace("lerp_");
  check_unrecorded(end, "lerp_", "end");
  NoGradGuard no_grad;
  return assign_inplace(tg::lerp(*this, end, weight), "lerp_");
}
Tensor& Tensor::lerp_(const Tensor& end, const Tensor& weight) {
  check_inplace("lerp_");
  check_unrecorded(end, "lerp_", "end");
  check_unrecorded(weight, "lerp_", "weight");
  NoGradGuard no_grad;
  return assign_inplace(tg::lerp(*this, end, weight), "lerp_");
}
Tensor& Tensor::tril_(std::int64_t diagonal) {
  check_inplace("tril_");
  NoGradGuard no_grad;
  return assign_inplace(tg::tril(*this, diagonal), "tril_");
}
Tensor& Tensor::triu_(std::int64_t diagonal) {
  check_inplace("triu_");
  NoGradGuard no_grad;
  return assign_inplace(tg::triu(*this, diagonal), "triu_");
}

TG_COMPOUND(+=, add, "add_")
TG_COMPOUND(-=, sub, "sub_")
TG_COMPOUND(*=, mul, "mul_")
TG_COMPOUND(/=, div, "div_")
#undef TG_COMPOUND

}  // namespace tg
