// Every op at Tensor level, with LibTorch's names and dtype rules. Each unwraps its Tensors, calls the
// typed op on Variable<float> or Variable<double> (ops/*.hpp), and wraps the result; the typed API
// stays as it is, and a call with Variables still picks it (the Tensor overloads are not templates, so
// they need a conversion and lose to an exact typed match; a call that mixes a Variable and a Tensor
// goes to the Tensor overload).
//
// Dtype rules, as LibTorch's: two floating dtypes promote to Double; an integer operand takes the other's
// floating dtype; a Python-style scalar keeps a tensor's dtype unless it is floating and the tensor
// is not (long_tensor * 2.5 is Float); integer division is true division (Float). Comparisons give
// Bool and are not differentiable; sum of Long or Bool gives Long; argmax, max(dim)'s indices,
// index_select's and gather's indices, and the loss targets are Long.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include <tapegrad/core/tensor.hpp>
#include <tapegrad/ops/indexing.hpp>
#include <tapegrad/ops/loss.hpp>

namespace tg {

// ---- arithmetic (NumPy broadcasting) ----
Tensor add(const Tensor& a, const Tensor& b);
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);
Tensor add(const Tensor& a, const Scalar& b);
Tensor sub(const Tensor& a, const Scalar& b);
Tensor mul(const Tensor& a, const Scalar& b);
Tensor div(const Tensor& a, const Scalar& b);
Tensor rsub(const Tensor& a, const Scalar& b);  // b - a
Tensor rdiv(const Tensor& a, const Scalar& b);  // b / a
Tensor neg(const Tensor& a);
// The larger (smaller) of each pair, NaN winning; tied elements split the gradient in halves (as
// LibTorch). Of two integer tensors: Long (Bool for two Bool tensors).
Tensor maximum(const Tensor& a, const Tensor& b);
Tensor minimum(const Tensor& a, const Tensor& b);

// start + weight * (end - start), broadcast over all three: torch.lerp. start, end and a tensor weight
// share one floating dtype. As torch's, a weight of 0.5 or more computes end - (end - start) * (1 -
// weight), so that a weight of 1 gives end exactly.
Tensor lerp(const Tensor& start, const Tensor& end, const Scalar& weight);
Tensor lerp(const Tensor& start, const Tensor& end, const Tensor& weight);

inline Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
inline Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
inline Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
inline Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }
inline Tensor operator+(const Tensor& a, const Scalar& b) { return add(a, b); }
inline Tensor operator-(const Tensor& a, const Scalar& b) { return sub(a, b); }
inline Tensor operator*(const Tensor& a, const Scalar& b) { return mul(a, b); }
inline Tensor operator/(const Tensor& a, const Scalar& b) { return div(a, b); }
inline Tensor operator+(const Scalar& a, const Tensor& b) { return add(b, a); }
inline Tensor operator-(const Scalar& a, const Tensor& b) { return rsub(b, a); }
inline Tensor operator*(const Scalar& a, const Tensor& b) { return mul(b, a); }
inline Tensor operator/(const Scalar& a, const Tensor& b) { return rdiv(b, a); }
inline Tensor operator-(const Tensor& a) { return neg(a); }

// ---- comparisons: Bool results, no gradient ----
Tensor eq(const Tensor& a, const Tensor& b);
Tensor ne(const Tensor& a, const Tensor& b);
Tensor lt(const Tensor& a, const Tensor& b);
Tensor le(const Tensor& a, const Tensor& b);
Tensor gt(const Tensor& a, const Tensor& b);
Tensor ge(const Tensor& a, const Tensor& b);
Tensor eq(const Tensor& a, const Scalar& b);
Tensor ne(const Tensor& a, const Scalar& b);
Tensor lt(const Tensor& a, const Scalar& b);
Tensor le(const Tensor& a, const Scalar& b);
Tensor gt(const Tensor& a, const Scalar& b);
Tensor ge(const Tensor& a, const Scalar& b);

inline Tensor operator==(const Tensor& a, const Tensor& b) { return eq(a, b); }
inline Tensor operator!=(const Tensor& a, const Tensor& b) { return ne(a, b); }
inline Tensor operator<(const Tensor& a, const Tensor& b) { return lt(a, b); }
inline Tensor operator<=(const Tensor& a, const Tensor& b) { return le(a, b); }
inline Tensor operator>(const Tensor& a, const Tensor& b) { return gt(a, b); }
inline Tensor operator>=(const Tensor& a, const Tensor& b) { return ge(a, b); }
inline Tensor operator==(const Tensor& a, const Scalar& b) { return eq(a, b); }
inline Tensor operator!=(const Tensor& a, const Scalar& b) { return ne(a, b); }
inline Tensor operator<(const Tensor& a, const Scalar& b) { return lt(a, b); }
inline Tensor operator<=(const Tensor& a, const Scalar& b) { return le(a, b); }
inline Tensor operator>(const Tensor& a, const Scalar& b) { return gt(a, b); }
inline Tensor operator>=(const Tensor& a, const Scalar& b) { return ge(a, b); }

// ---- elementwise math and activations (floating tensors) ----
Tensor pow(const Tensor& x, const Scalar& exponent);
Tensor square(const Tensor& x);  // x * x
Tensor isnan(const Tensor& x);   // Bool; false for integer tensors
Tensor exp(const Tensor& x);
Tensor log(const Tensor& x);
Tensor sqrt(const Tensor& x);
Tensor abs(const Tensor& x);
Tensor sign(const Tensor& x);  // any dtype, kept; a gradient of 0
// These four take an integer tensor as Float, as LibTorch's.
Tensor log1p(const Tensor& x);
Tensor expm1(const Tensor& x);
// Rounding (gradient 0); an integer tensor is returned as a copy, as LibTorch's.
Tensor floor(const Tensor& x);
Tensor ceil(const Tensor& x);
Tensor round(const Tensor& x);  // halves to even
Tensor trunc(const Tensor& x);
Tensor sin(const Tensor& x);
Tensor cos(const Tensor& x);
Tensor reciprocal(const Tensor& x);
Tensor rsqrt(const Tensor& x);
Tensor clamp(const Tensor& x, const std::optional<Scalar>& min, const std::optional<Scalar>& max = std::nullopt);
Tensor clamp_min(const Tensor& x, const Scalar& min);
Tensor clamp_max(const Tensor& x, const Scalar& max);
Tensor relu(const Tensor& x);
Tensor leaky_relu(const Tensor& x, const Scalar& negative_slope = 0.01);
Tensor sigmoid(const Tensor& x);
Tensor tanh(const Tensor& x);
// ops/elementwise_activations.hpp has each formula; prelu's weight: 1 slope or one per channel (dim 1).
Tensor elu(const Tensor& x, const Scalar& alpha = 1.0);
Tensor selu(const Tensor& x);
Tensor celu(const Tensor& x, const Scalar& alpha = 1.0);
Tensor silu(const Tensor& x);
Tensor mish(const Tensor& x);
Tensor softplus(const Tensor& x, const Scalar& beta = 1, const Scalar& threshold = 20);
Tensor hardtanh(const Tensor& x, const Scalar& min_val = -1, const Scalar& max_val = 1);
Tensor relu6(const Tensor& x);
Tensor hardsigmoid(const Tensor& x);
Tensor hardswish(const Tensor& x);
Tensor log_sigmoid(const Tensor& x);
Tensor softsign(const Tensor& x);
Tensor tanhshrink(const Tensor& x);
Tensor softshrink(const Tensor& x, const Scalar& lambda = 0.5);
Tensor hardshrink(const Tensor& x, const Scalar& lambda = 0.5);
Tensor threshold(const Tensor& x, const Scalar& threshold, const Scalar& value);
Tensor rrelu(const Tensor& x, const Scalar& lower = 1.0 / 8.0, const Scalar& upper = 1.0 / 3.0, bool training = false);
Tensor prelu(const Tensor& x, const Tensor& weight);
Tensor glu(const Tensor& x, std::int64_t dim = -1);  // ops/glu.hpp

// ---- selecting by a Bool mask (ops/where.hpp; the mask broadcasts with the operands) ----
Tensor where(const Tensor& condition, const Tensor& input, const Tensor& other);
Tensor where(const Tensor& condition, const Tensor& input, const Scalar& other);
Tensor masked_fill(const Tensor& x, const Tensor& mask, const Scalar& value);
// The elements of x where the Bool mask is true (the two broadcast together), in row-major order, as
// one 1-D tensor, as torch::masked_select; its gradient goes back to the selected elements.
Tensor masked_select(const Tensor& x, const Tensor& mask);

// ---- layers ----
// LibTorch's matmul of any ranks: 1-D operands as a row (left) or a column (right), the batch dims of
// N-D operands broadcast (ops/matmul.hpp has the two typed products underneath).
Tensor matmul(const Tensor& a, const Tensor& b);
Tensor mm(const Tensor& a, const Tensor& b);   // 2-D only: (n, k) @ (k, m)
Tensor bmm(const Tensor& a, const Tensor& b);  // 3-D only: (B, n, k) @ (B, k, m)
// The positions of the nonzero elements (NaN included), (count, dim) Long, in row-major order.
Tensor nonzero(const Tensor& x);
// Whether b has a's shape and equal elements (after type promotion; NaN equals nothing).
bool equal(const Tensor& a, const Tensor& b);
// Whether |a - b| <= atol + rtol * |b| at every element of the broadcast shape, as torch::allclose
// (ops/allclose.hpp). Any dtypes, compared in double (LibTorch's wants one dtype).
bool allclose(const Tensor& a, const Tensor& b, double rtol = 1e-5, double atol = 1e-8, bool equal_nan = false);
// beta * input + alpha * (a @ b), input broadcast to the product's shape.
Tensor addmm(const Tensor& input, const Tensor& a, const Tensor& b, const Scalar& beta = 1, const Scalar& alpha = 1);
Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias = {});  // bias: undefined for none
// stride and padding: one number for both axes or two ({h, w}).
Tensor conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias = {}, IntArrayRef stride = 1,
              IntArrayRef padding = 0);
// An empty stride means stride = kernel_size, as in LibTorch.
Tensor max_pool2d(const Tensor& x, IntArrayRef kernel_size, IntArrayRef stride = {}, IntArrayRef padding = 0);

// 1-D forms over (N, C, L) or (C, L), one number for each size (ops/conv_pool1d.cpp): conv1d's weight is
// (Cout, Cin, k); an empty stride means stride = kernel_size.
Tensor conv1d(const Tensor& x, const Tensor& weight, const Tensor& bias = {}, IntArrayRef stride = 1,
              IntArrayRef padding = 0);
Tensor max_pool1d(const Tensor& x, IntArrayRef kernel_size, IntArrayRef stride = {}, IntArrayRef padding = 0);
Tensor avg_pool1d(const Tensor& x, IntArrayRef kernel_size, IntArrayRef stride = {}, IntArrayRef padding = 0,
                  bool ceil_mode = false, bool count_include_pad = true);

// torch::conv_transpose2d (groups 1, dilation 1); weight (Cin, Cout, kh, kw).
Tensor conv_transpose2d(const Tensor& x, const Tensor& weight, const Tensor& bias = {}, IntArrayRef stride = 1,
                        IntArrayRef padding = 0, IntArrayRef output_padding = 0);
Tensor avg_pool2d(const Tensor& x, IntArrayRef kernel_size, IntArrayRef stride = {}, IntArrayRef padding = 0,
                  bool ceil_mode = false, bool count_include_pad = true,
                  std::optional<std::int64_t> divisor_override = std::nullopt);
Tensor adaptive_avg_pool2d(const Tensor& x, IntArrayRef output_size);
// Running statistics are updated in place in training; undefined weight/bias/running tensors are none.
Tensor batch_norm(const Tensor& x, const Tensor& weight, const Tensor& bias, const Tensor& running_mean,
                  const Tensor& running_var, bool training, double momentum, double eps);
Tensor layer_norm(const Tensor& x, IntArrayRef normalized_shape, const Tensor& weight = {}, const Tensor& bias = {},
                  double eps = 1e-5);
Tensor dropout(const Tensor& x, double p, bool train);
// One draw per channel of (N, C, H, W) or (C, H, W): LibTorch's name for the op under dropout2d.
Tensor feature_dropout(const Tensor& x, double p, bool train);
// weight (num_embeddings, D), indices: a Long tensor; padding_idx (negative counts from the end) gets
// no gradient; scale_grad_by_freq divides each row's gradient by its index's count in indices.
Tensor embedding(const Tensor& weight, const Tensor& indices, std::optional<std::int64_t> padding_idx = std::nullopt,
                 bool scale_grad_by_freq = false);
Tensor gelu(const Tensor& x, const std::string& approximate = "none");

// With a dtype, x is converted to it first (so a Long tensor can be taken too), as LibTorch's.
Tensor softmax(const Tensor& x, std::int64_t dim, std::optional<ScalarType> dtype = std::nullopt);
Tensor log_softmax(const Tensor& x, std::int64_t dim, std::optional<ScalarType> dtype = std::nullopt);
Tensor logsumexp(const Tensor& x, std::int64_t dim, bool keepdim = false);

// ---- losses (ops/loss.hpp has each rule); nll_loss and cross_entropy take Long class indices ----
Tensor nll_loss(const Tensor& input, const Tensor& target, const Tensor& weight = {},
                Reduction reduction = Reduction::Mean, std::int64_t ignore_index = -100);
Tensor cross_entropy(const Tensor& input, const Tensor& target, const Tensor& weight = {},
                     Reduction reduction = Reduction::Mean, std::int64_t ignore_index = -100,
                     double label_smoothing = 0.0);
Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::Mean);
Tensor l1_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::Mean);
Tensor smooth_l1_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::Mean,
                      double beta = 1.0);
Tensor huber_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::Mean, double delta = 1.0);
Tensor binary_cross_entropy(const Tensor& input, const Tensor& target, const Tensor& weight = {},
                            Reduction reduction = Reduction::Mean);
Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target, const Tensor& weight = {},
                                        const Tensor& pos_weight = {}, Reduction reduction = Reduction::Mean);

// ---- reductions ----
Tensor sum(const Tensor& x);  // Long for Long and Bool tensors
Tensor sum(const Tensor& x, IntArrayRef dims, bool keepdim = false);
Tensor mean(const Tensor& x);
Tensor mean(const Tensor& x, IntArrayRef dims, bool keepdim = false);
Tensor amax(const Tensor& x, std::int64_t dim, bool keepdim = false);
Tensor max(const Tensor& x);  // of every element; tied maxima share the gradient
std::tuple<Tensor, Tensor> max(const Tensor& x, std::int64_t dim, bool keepdim = false);  // values, Long indices
Tensor min(const Tensor& x);
std::tuple<Tensor, Tensor> min(const Tensor& x, std::int64_t dim, bool keepdim = false);
// Position of the first largest (smallest) value; NaN counts as largest (and smallest), as in LibTorch.
Tensor argmax(const Tensor& x);  // into the flattened tensor: a 0-d Long tensor
Tensor argmax(const Tensor& x, std::int64_t dim, bool keepdim = false);
Tensor argmin(const Tensor& x);
Tensor argmin(const Tensor& x, std::int64_t dim, bool keepdim = false);
// The p-norm (ops/reduce.hpp: finite p > 0); an empty `dim` reduces every dim, as LibTorch's.
Tensor norm(const Tensor& x, const Scalar& p = 2);
Tensor norm(const Tensor& x, const std::optional<Scalar>& p, IntArrayRef dim, bool keepdim = false);
// The variance and standard deviation, unbiased (divided by n - 1) unless told otherwise, as
// LibTorch's: of every element, or over dims. Composites of mean, sub, mul and sum (and sqrt).
// The `unbiased` form takes a bool and nothing else, so var(x, 1) and var(x, {1}) mean dim 1
// (LibTorch's var(x, 1) silently takes the 1 for unbiased = true).
Tensor var(const Tensor& x);
template <class Bool, class = std::enable_if_t<std::is_same_v<Bool, bool>>>
Tensor var(const Tensor& x, Bool unbiased);
Tensor var(const Tensor& x, IntArrayRef dims, bool unbiased = true, bool keepdim = false);
Tensor std(const Tensor& x);
template <class Bool, class = std::enable_if_t<std::is_same_v<Bool, bool>>>
Tensor std(const Tensor& x, Bool unbiased);
Tensor std(const Tensor& x, IntArrayRef dims, bool unbiased = true, bool keepdim = false);
// The product of every element, or along dim (ops/reduce.hpp: gradients right with zeros), and the
// cumulative sum along dim. An integer or Bool tensor gives Long, as LibTorch's; `dtype` converts x first.
Tensor prod(const Tensor& x, std::optional<ScalarType> dtype = std::nullopt);
Tensor prod(const Tensor& x, std::int64_t dim, bool keepdim = false, std::optional<ScalarType> dtype = std::nullopt);
Tensor cumsum(const Tensor& x, std::int64_t dim, std::optional<ScalarType> dtype = std::nullopt);
// Whether every (any) element is nonzero (NaN counts as nonzero): Bool, no gradient.
Tensor all(const Tensor& x);
Tensor all(const Tensor& x, std::int64_t dim, bool keepdim = false);
Tensor any(const Tensor& x);
Tensor any(const Tensor& x, std::int64_t dim, bool keepdim = false);

// ---- shape (any dtype; copies, as the typed ops) ----
Tensor reshape(const Tensor& x, IntArrayRef shape);
Tensor view(const Tensor& x, IntArrayRef shape);
Tensor flatten(const Tensor& x, std::int64_t start_dim = 0, std::int64_t end_dim = -1);
// flatten's inverse: dim split into `sizes` (one of them may be -1, inferred): torch.unflatten.
Tensor unflatten(const Tensor& x, std::int64_t dim, IntArrayRef sizes);
Tensor squeeze(const Tensor& x);                    // drops every size-1 dim
Tensor squeeze(const Tensor& x, std::int64_t dim);  // drops dim if its size is 1
Tensor unsqueeze(const Tensor& x, std::int64_t dim);
Tensor transpose(const Tensor& x, std::int64_t dim0, std::int64_t dim1);
Tensor permute(const Tensor& x, IntArrayRef dims);
Tensor narrow(const Tensor& x, std::int64_t dim, std::int64_t start, std::int64_t length);
// Element `index` along dim, the dim dropped (negative index counts from the end): x[i] is select(0, i).
Tensor select(const Tensor& x, std::int64_t dim, std::int64_t index);
Tensor expand(const Tensor& x, IntArrayRef size);  // ops/shape.hpp; -1 keeps a dim
Tensor flip(const Tensor& x, IntArrayRef dims);
Tensor repeat(const Tensor& x, IntArrayRef repeats);  // at least one size per dim of x
// x's elements moved shifts[i] places along dims[i], those pushed past the end coming back at the start
// (negative shifts move the other way): torch.roll. With no dims, x is rolled flattened, by one shift.
Tensor roll(const Tensor& x, IntArrayRef shifts, IntArrayRef dims = {});
Tensor index_select(const Tensor& x, std::int64_t dim, const Tensor& index);  // index: 1-D Long
Tensor gather(const Tensor& x, std::int64_t dim, const Tensor& index);        // index: Long, x's rank
// gather's inverse (ops/shape.hpp): x with src's values (or one value) written at index along dim;
// scatter_add adds them. src has x's dtype; a src larger than index is read only where index is.
Tensor scatter(const Tensor& x, std::int64_t dim, const Tensor& index, const Tensor& src);
Tensor scatter(const Tensor& x, std::int64_t dim, const Tensor& index, const Scalar& value);
Tensor scatter_add(const Tensor& x, std::int64_t dim, const Tensor& index, const Tensor& src);
// x with alpha * source's slices added at the 1-D index's positions along dim (repeats add up):
// torch.index_add, a scatter_add of source with the index spread over its other dims.
Tensor index_add(const Tensor& x, std::int64_t dim, const Tensor& index, const Tensor& source,
                 const Scalar& alpha = 1);
// The lower (tril) or upper (triu) triangle of the last two dims, zeros elsewhere: element (i, j) is
// kept when j - i <= diagonal (tril) or j - i >= diagonal (triu), as torch's; any dtype (a causal
// attention mask is `tg::ones({T, T}, tg::kBool).triu(1)`), floating ones through masked_fill.
Tensor tril(const Tensor& x, std::int64_t diagonal = 0);
Tensor triu(const Tensor& x, std::int64_t diagonal = 0);
// torch.diag: of a 1-D x of n elements, the square matrix of side n + |diagonal| with x on that
// diagonal (0 the main one, above it positive) and zeros elsewhere; of a 2-D x, that diagonal of it as
// a 1-D tensor (empty if it lies outside). Any dtype.
Tensor diag(const Tensor& x, std::int64_t diagonal = 0);
Tensor einsum(const std::string& equation, const std::vector<Tensor>& operands);

// ---- sorting (ops/sort.hpp: NaN largest, equal values in their order; any dtype, Long indices) ----
std::tuple<Tensor, Tensor> sort(const Tensor& x, std::int64_t dim = -1, bool descending = false);  // values, indices
Tensor argsort(const Tensor& x, std::int64_t dim = -1, bool descending = false);
std::tuple<Tensor, Tensor> topk(const Tensor& x, std::int64_t k, std::int64_t dim = -1, bool largest = true,
                                bool sorted = true);

// ---- joining and cutting (ops/concat.hpp; any dtype, a list promoted to its common dtype) ----
Tensor cat(const std::vector<Tensor>& tensors, std::int64_t dim = 0);
Tensor stack(const std::vector<Tensor>& tensors, std::int64_t dim = 0);
std::vector<Tensor> split(const Tensor& x, std::int64_t split_size, std::int64_t dim = 0);
std::vector<Tensor> split(const Tensor& x, IntArrayRef split_sizes, std::int64_t dim = 0);
std::vector<Tensor> chunk(const Tensor& x, std::int64_t chunks, std::int64_t dim = 0);

template <class Bool, class>
Tensor var(const Tensor& x, Bool unbiased) {
  return detail::variance_of_all(x, unbiased, false);
}
template <class Bool, class>
Tensor std(const Tensor& x, Bool unbiased) {
  return detail::variance_of_all(x, unbiased, true);
}

}  // namespace tg
