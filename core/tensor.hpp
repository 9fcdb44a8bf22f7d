// tg::Tensor: LibTorch's autograd handle, with a dtype chosen at run time.
//
// A Float or Double tensor wraps a Variable<float> or Variable<double>, so every typed op and the
// tape work on it unchanged: a Tensor op unwraps its inputs, calls the typed op and wraps the result
// (core/dispatch.hpp makes that one line). A Long or Bool tensor holds a plain array: labels, indices,
// comparison results; it never requires grad. Copies share one small impl (the dtype and the handle
// inside), as LibTorch's handles share a TensorImpl: set_data() on one copy is seen by every copy,
// which is how module->to(tg::kDouble) reaches a layer's own `weight` member.
//
//   tg::Tensor x = tg::randn({64, 784}), w = tg::randn({10, 784}, tg::requires_grad());
//   auto loss = tg::nll_loss(tg::log_softmax(tg::linear(x, w), 1), labels);   // labels: kLong
//   loss.backward();                                  // w.grad() is a (10, 784) Float tensor
//   auto correct = logits.argmax(1).eq(labels).sum().item<int64_t>();
//
// Where tapegrad differs from LibTorch (README, "Coming from LibTorch"): view() and the other shape
// methods return copies, never aliases; a differentiable dtype conversion (float <-> double while
// requires_grad) throws instead of recording; in-place ops on a tensor that requires grad are allowed
// only on leaves under NoGradGuard.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <variant>
#include <vector>

#include <tapegrad/core/array.hpp>
#include <tapegrad/core/checked_cast.hpp>
#include <tapegrad/core/device.hpp>
#include <tapegrad/core/int_array_ref.hpp>
#include <tapegrad/core/scalar.hpp>
#include <tapegrad/core/scalar_type.hpp>
#include <tapegrad/core/tensor_accessor.hpp>
#include <tapegrad/core/tensor_options.hpp>
#include <tapegrad/core/variable.hpp>

namespace tg {

namespace autograd {
class Node;
}
namespace indexing {
class TensorIndex;  // ops/indexing.hpp
}

class Tensor;
namespace detail {
// t, marked as the copy `op` made of source where LibTorch's op returns a view of it (op nullptr:
// unmarked, as clone's result): in-place ops on t throw while source lives, since it would not change.
Tensor mark_copied_view(Tensor t, const Tensor& source, const char* op);
}  // namespace detail

class Tensor {
 public:
  Tensor() noexcept : shares_values_(false), view_op_(nullptr) {}  // undefined: defined() is false
  Tensor(Variable<float> v);   // implicit: typed results flow into Tensor code
  Tensor(Variable<double> v);
  explicit Tensor(Array<float> values, bool requires_grad = false);
  explicit Tensor(Array<double> values, bool requires_grad = false);
  explicit Tensor(Array<std::int64_t> values);  // Long (Labels is this array type)
  explicit Tensor(Array<bool> values);          // Bool
  Tensor(const Tensor&) = default;
  Tensor(Tensor&&) noexcept = default;
  // A named tensor takes the other's handle (as LibTorch's). Assigned to as a temporary, a tensor
  // that shares another's values (grad(), detach(), data()) gets the other's values written into it,
  // as LibTorch's `p.grad().data() = p.grad().data() / n`; any other temporary throws: where
  // LibTorch's select, narrow, index and shape methods return views, tapegrad's return copies, and
  // `x[0] = y` would write into a copy (use x.index_put_({0}, y)). For the same reason the in-place
  // ops below throw on those methods' results (`x[0] += 1`, `x.narrow(0, 0, 2).zero_()`), named or
  // not, while the tensor they came from lives; clone() one to change a copy of your own.
  Tensor& operator=(const Tensor&) & = default;
  Tensor& operator=(Tensor&&) & noexcept = default;
  Tensor& operator=(const Tensor& values) &&;
  Tensor& operator=(Tensor&& values) &&;

  bool defined() const { return impl_ && impl_->index() != 0; }
  ScalarType scalar_type() const;
  ScalarType dtype() const { return scalar_type(); }
  bool is_floating_point() const { return defined() && tg::is_floating_point(scalar_type()); }
  Device device() const { return kCPU; }
  bool is_cpu() const { return true; }
  bool is_cuda() const { return false; }
  TensorOptions options() const;

  // ---- shape ----
  Shape shape() const;
  IntArrayRef sizes() const { return IntArrayRef(shape()); }
  std::int64_t size(std::int64_t dim) const;  // negative counts from the end
  std::int64_t dim() const { return static_cast<std::int64_t>(shape().size()); }
  std::int64_t ndimension() const { return dim(); }
  std::int64_t numel() const;

  // ---- typed access, for library code ----
  // The wrapped Variable; throws tg::Error naming both dtypes when this tensor is not of T's dtype.
  template <class T> const Variable<T>& variable() const;
  template <class T> Variable<T>& variable();
  // The values of a tensor of T's dtype (float, double, int64_t, bool). The mutable one writes in
  // place, as optimizers and initialisers do: keep the shape.
  template <class T> const Array<T>& value() const;
  template <class T> Array<T>& value();
  template <class T> T* data_ptr() const;  // T must be this tensor's element type
  // a[i][j] access to a tensor of N dims and element type T (core/tensor_accessor.hpp).
  template <class T, std::size_t N> TensorAccessor<T, N> accessor() const;
  // The single element, converted to T (as LibTorch's item<T>()); throws unless numel() == 1.
  template <class T> T item() const;
  Scalar item() const;  // a Double, Long or Bool Scalar

  // ---- autograd ----
  bool requires_grad() const;
  // Leaves of a floating dtype only, as in LibTorch.
  const Tensor& requires_grad_(bool on = true) const;
  Tensor& set_requires_grad(bool on) { requires_grad_(on); return *this; }  // LibTorch's older spelling
  bool is_leaf() const;
  // The node of the op that produced this tensor (core/grad_fn.hpp); null for a leaf and for a tensor
  // that does not require grad.
  std::shared_ptr<autograd::Node> grad_fn() const;
  // The accumulated gradient (aliasing it: writes go to the gradient), or an undefined tensor.
  Tensor grad() const;
  // Backward from this scalar (or with `gradient` of this shape for a non-scalar output).
  void backward(const Tensor& gradient = {}, bool retain_graph = false) const;
  Tensor detach() const;
  // LibTorch's data(): the same values without the autograd record, shared (detach()).
  Tensor data() const { return detach(); }

  // ---- conversion ----
  Tensor to(ScalarType dtype) const;  // the same handle when the dtype already matches
  Tensor to(const TensorOptions& options) const;  // to(device), to(kCPU), to(tg::dtype(kDouble))
  Tensor to(Device device, ScalarType dtype) const;
  Tensor to(const Tensor& other) const { return to(other.scalar_type()); }
  Tensor toType(ScalarType dtype) const { return to(dtype); }
  Tensor cpu() const { return *this; }  // every tensor is on the CPU
  Tensor clone() const;             // a copy; differentiable
  // Makes every copy of this handle hold `data` (its dtype, values and autograd record) from now on,
  // as LibTorch's set_data. Both must be defined; the shape may differ.
  void set_data(const Tensor& data);
  // True when both are copies of one handle (set_data on one changes the other).
  bool is_same(const Tensor& other) const { return impl_ == other.impl_; }
  // How many handles share this one's impl (copies of it), as LibTorch's use_count(); 0 when undefined.
  std::int64_t use_count() const { return impl_.use_count(); }
  Tensor contiguous() const { return *this; }  // every tensor is contiguous
  bool is_contiguous() const { return true; }

  // ---- in place (a leaf that requires grad: only under NoGradGuard) ----
  Tensor& zero_();
  Tensor& fill_(const Scalar& value);
  // Random values in place, from tg::generator() (floating tensors): U[from, to) and N(mean, std²).
  Tensor& uniform_(double from = 0, double to = 1);
  Tensor& normal_(double mean = 0, double std = 1);
  Tensor& copy_(const Tensor& src);  // src broadcast to this shape, converted to this dtype
  Tensor& operator+=(const Tensor& other);
  Tensor& operator-=(const Tensor& other);
  Tensor& operator*=(const Tensor& other);
  Tensor& operator/=(const Tensor& other);
  Tensor& operator+=(const Scalar& other);
  Tensor& operator-=(const Scalar& other);
  Tensor& operator*=(const Scalar& other);
  Tensor& operator/=(const Scalar& other);
  Tensor& add_(const Tensor& other) { return *this += other; }
  Tensor& sub_(const Tensor& other) { return *this -= other; }
  Tensor& mul_(const Tensor& other) { return *this *= other; }
  Tensor& div_(const Tensor& other) { return *this /= other; }
  Tensor& add_(const Scalar& other) { return *this += other; }
  Tensor& sub_(const Scalar& other) { return *this -= other; }
  Tensor& mul_(const Scalar& other) { return *this *= other; }
  Tensor& div_(const Scalar& other) { return *this /= other; }
  // Comparisons in place, as LibTorch's: 1 where true, 0 where false, in this tensor's dtype (the
  // other operand broadcasts to this shape).
  Tensor& eq_(const Tensor& other) { return assign_comparison(eq(other), "eq_"); }
  Tensor& ne_(const Tensor& other) { return assign_comparison(ne(other), "ne_"); }
  Tensor& lt_(const Tensor& other) { return assign_comparison(lt(other), "lt_"); }
  Tensor& le_(const Tensor& other) { return assign_comparison(le(other), "le_"); }
  Tensor& gt_(const Tensor& other) { return assign_comparison(gt(other), "gt_"); }
  Tensor& ge_(const Tensor& other) { return assign_comparison(ge(other), "ge_"); }
  Tensor& eq_(const Scalar& other) { return assign_comparison(eq(other), "eq_"); }
  Tensor& ne_(const Scalar& other) { return assign_comparison(ne(other), "ne_"); }
  Tensor& lt_(const Scalar& other) { return assign_comparison(lt(other), "lt_"); }
  Tensor& le_(const Scalar& other) { return assign_comparison(le(other), "le_"); }
  Tensor& gt_(const Scalar& other) { return assign_comparison(gt(other), "gt_"); }
  Tensor& ge_(const Scalar& other) { return assign_comparison(ge(other), "ge_"); }

  // ---- the ops as methods (defined in ops/tensor_methods.cpp; each is the free function tg::name) ----
  Tensor view(IntArrayRef shape) const;
  Tensor reshape(IntArrayRef shape) const;
  Tensor view_as(const Tensor& other) const { return view(other.sizes()); }
  Tensor reshape_as(const Tensor& other) const { return reshape(other.sizes()); }
  Tensor flatten(std::int64_t start_dim = 0, std::int64_t end_dim = -1) const;
  Tensor unflatten(std::int64_t dim, IntArrayRef sizes) const;
  Tensor squeeze() const;
  Tensor squeeze(std::int64_t dim) const;
  Tensor unsqueeze(std::int64_t dim) const;
  Tensor transpose(std::int64_t dim0, std::int64_t dim1) const;
  Tensor t() const;  // transpose of a 2-D tensor (a 0-d or 1-D one is returned as is)
  Tensor permute(IntArrayRef dims) const;
  Tensor narrow(std::int64_t dim, std::int64_t start, std::int64_t length) const;
  Tensor select(std::int64_t dim, std::int64_t index) const;
  // Elements start, start + step, ... before end along dim, as x.index({..., Slice(start, end, step)}):
  // a copy, as the other shape methods; missing bounds are the dim's ends, negative ones count from it.
  Tensor slice(std::int64_t dim = 0, std::optional<std::int64_t> start = std::nullopt,
               std::optional<std::int64_t> end = std::nullopt, std::int64_t step = 1) const;
  // x[i] is x.select(0, i): a copy, as every op's result (an in-place op on it throws: x would not change).
  Tensor operator[](std::int64_t index) const { return select(0, index); }
  Tensor expand(IntArrayRef size) const;
  Tensor expand_as(const Tensor& other) const { return expand(other.sizes()); }
  Tensor flip(IntArrayRef dims) const;
  Tensor repeat(IntArrayRef repeats) const;
  Tensor roll(IntArrayRef shifts, IntArrayRef dims = {}) const;
  std::vector<Tensor> split(std::int64_t split_size, std::int64_t dim = 0) const;
  std::vector<Tensor> split(IntArrayRef split_sizes, std::int64_t dim = 0) const;
  std::vector<Tensor> chunk(std::int64_t chunks, std::int64_t dim = 0) const;
  Tensor index_select(std::int64_t dim, const Tensor& index) const;
  Tensor gather(std::int64_t dim, const Tensor& index) const;
  // gather's inverse (ops/tensor_ops.hpp): the in-place forms write into this tensor (not recorded).
  Tensor scatter(std::int64_t dim, const Tensor& index, const Tensor& src) const;
  Tensor scatter(std::int64_t dim, const Tensor& index, const Scalar& value) const;
  Tensor scatter_add(std::int64_t dim, const Tensor& index, const Tensor& src) const;
  Tensor& scatter_(std::int64_t dim, const Tensor& index, const Tensor& src);
  Tensor& scatter_(std::int64_t dim, const Tensor& index, const Scalar& value);
  Tensor& scatter_add_(std::int64_t dim, const Tensor& index, const Tensor& src);
  Tensor index_add(std::int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha = 1) const;
  Tensor& index_add_(std::int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha = 1);
  Tensor tril(std::int64_t diagonal = 0) const;  // ops/tensor_ops.hpp
  Tensor triu(std::int64_t diagonal = 0) const;
  Tensor& tril_(std::int64_t diagonal = 0);
  Tensor& triu_(std::int64_t diagonal = 0);
  Tensor diag(std::int64_t diagonal = 0) const;
  Tensor lerp(const Tensor& end, const Scalar& weight) const;
  Tensor lerp(const Tensor& end, const Tensor& weight) const;
  // In place, not recorded: the exponential moving average ema.lerp_(x, 0.01) (x and a tensor weight
  // must not require grad under grad mode; the result must keep this tensor's shape).
  Tensor& lerp_(const Tensor& end, const Scalar& weight);
  Tensor& lerp_(const Tensor& end, const Tensor& weight);
  // x.index({Slice(), 0}) and x.index_put_({Slice(), 0}, v): Python's x[:, 0] (ops/indexing.hpp).
  Tensor index(const std::vector<indexing::TensorIndex>& indices) const;
  Tensor& index_put_(const std::vector<indexing::TensorIndex>& indices, const Tensor& values);
  Tensor& index_put_(const std::vector<indexing::TensorIndex>& indices, const Scalar& value);

  Tensor sum() const;
  Tensor sum(IntArrayRef dims, bool keepdim = false) const;
  Tensor mean() const;
  Tensor mean(IntArrayRef dims, bool keepdim = false) const;
  Tensor max() const;
  std::tuple<Tensor, Tensor> max(std::int64_t dim, bool keepdim = false) const;  // values, indices
  Tensor min() const;
  std::tuple<Tensor, Tensor> min(std::int64_t dim, bool keepdim = false) const;
  Tensor prod(std::optional<ScalarType> dtype = std::nullopt) const;
  Tensor prod(std::int64_t dim, bool keepdim = false, std::optional<ScalarType> dtype = std::nullopt) const;
  Tensor cumsum(std::int64_t dim, std::optional<ScalarType> dtype = std::nullopt) const;
  std::tuple<Tensor, Tensor> sort(std::int64_t dim = -1, bool descending = false) const;  // values, indices
  Tensor argsort(std::int64_t dim = -1, bool descending = false) const;
  std::tuple<Tensor, Tensor> topk(std::int64_t k, std::int64_t dim = -1, bool largest = true, bool sorted = true) const;
  Tensor amax(std::int64_t dim, bool keepdim = false) const;
  Tensor argmax() const;
  Tensor argmax(std::int64_t dim, bool keepdim = false) const;
  Tensor argmin() const;
  Tensor argmin(std::int64_t dim, bool keepdim = false) const;
  Tensor logsumexp(std::int64_t dim, bool keepdim = false) const;
  // var(false) is the biased variance, var(1) and var({1}) that over dim 1 (ops/tensor_ops.hpp).
  Tensor var() const;
  template <class Bool, class = std::enable_if_t<std::is_same_v<Bool, bool>>>
  Tensor var(Bool unbiased) const;
  Tensor var(IntArrayRef dims, bool unbiased = true, bool keepdim = false) const;
  Tensor std() const;
  template <class Bool, class = std::enable_if_t<std::is_same_v<Bool, bool>>>
  Tensor std(Bool unbiased) const;
  Tensor std(IntArrayRef dims, bool unbiased = true, bool keepdim = false) const;
  Tensor norm(const Scalar& p = 2) const;
  Tensor norm(const std::optional<Scalar>& p, IntArrayRef dim, bool keepdim = false) const;
  Tensor all() const;
  Tensor all(std::int64_t dim, bool keepdim = false) const;
  Tensor any() const;
  Tensor any(std::int64_t dim, bool keepdim = false) const;
  Tensor softmax(std::int64_t dim, std::optional<ScalarType> dtype = std::nullopt) const;
  Tensor log_softmax(std::int64_t dim, std::optional<ScalarType> dtype = std::nullopt) const;

  Tensor eq(const Tensor& other) const;
  Tensor ne(const Tensor& other) const;
  Tensor lt(const Tensor& other) const;
  Tensor le(const Tensor& other) const;
  Tensor gt(const Tensor& other) const;
  Tensor ge(const Tensor& other) const;
  Tensor eq(const Scalar& other) const;
  Tensor ne(const Scalar& other) const;
  Tensor lt(const Scalar& other) const;
  Tensor le(const Scalar& other) const;
  Tensor gt(const Scalar& other) const;
  Tensor ge(const Scalar& other) const;

  Tensor add(const Tensor& other) const;
  Tensor sub(const Tensor& other) const;
  Tensor mul(const Tensor& other) const;
  Tensor div(const Tensor& other) const;
  Tensor add(const Scalar& other) const;
  Tensor sub(const Scalar& other) const;
  Tensor mul(const Scalar& other) const;
  Tensor div(const Scalar& other) const;
  Tensor neg() const;
  Tensor matmul(const Tensor& other) const;
  Tensor mm(const Tensor& other) const;
  Tensor bmm(const Tensor& other) const;
  Tensor addmm(const Tensor& mat1, const Tensor& mat2, const Scalar& beta = 1, const Scalar& alpha = 1) const;
  Tensor nonzero() const;
  // Whether other has this shape and equal elements (after type promotion; NaN equals nothing).
  bool equal(const Tensor& other) const;
  // tg::allclose(*this, other, ...) (ops/tensor_ops.hpp).
  bool allclose(const Tensor& other, double rtol = 1e-5, double atol = 1e-8, bool equal_nan = false) const;
  Tensor pow(const Scalar& exponent) const;
  Tensor square() const;
  Tensor isnan() const;
  Tensor masked_fill(const Tensor& mask, const Scalar& value) const;
  Tensor masked_select(const Tensor& mask) const;
  Tensor exp() const;
  Tensor log() const;
  Tensor sqrt() const;
  Tensor abs() const;
  Tensor sign() const;
  Tensor log1p() const;
  Tensor expm1() const;
  Tensor floor() const;
  Tensor ceil() const;
  Tensor round() const;
  Tensor trunc() const;
  Tensor sin() const;
  Tensor cos() const;
  Tensor reciprocal() const;
  Tensor rsqrt() const;
  Tensor maximum(const Tensor& other) const;
  Tensor minimum(const Tensor& other) const;
  Tensor clamp(const std::optional<Scalar>& min, const std::optional<Scalar>& max = std::nullopt) const;
  Tensor clamp_min(const Scalar& min) const;
  Tensor clamp_max(const Scalar& max) const;
  Tensor tanh() const;
  Tensor sigmoid() const;
  Tensor relu() const;

 private:
  void check_defined(const char* op) const;
  // Made by a view-like method (view_op_) from a tensor that still lives: a write would not reach it.
  bool is_copied_view() const { return view_op_ && !origin_.expired(); }
  // Throws naming `op` unless this tensor's values may be written in place now.
  void check_inplace(const char* op) const;
  // Writes `result` (this shape, broadcast-checked by the caller) into this tensor's buffer.
  Tensor& assign_inplace(const Tensor& result, const char* op);
  // Writes a comparison's result (Bool, broadcast to this shape) as 1 or 0 of this dtype (eq_, ...).
  Tensor& assign_comparison(const Tensor& result, const char* op);

  using Data = std::variant<std::monostate, Variable<float>, Variable<double>, std::shared_ptr<Array<std::int64_t>>,
                            std::shared_ptr<Array<bool>>>;
  std::shared_ptr<Data> impl_;
  // grad(), detach(): its values are another tensor's (operator= &&). Every constructor sets it: a
  // default member initializer would not be usable in this class's default arguments ({}).
  bool shares_values_;
  // The method that made this tensor as a copy where LibTorch's makes a view (select, narrow,
  // reshape, ...), or nullptr: in-place ops throw, naming it, while origin_ lives (check_inplace).
  const char* view_op_;
  // The tensor a write would reach in LibTorch: for a copied view, the one it was taken from (through
  // views of views); for grad(), detach() and data(), the tensor whose values they share.
  std::weak_ptr<Data> origin_;
  friend Tensor detail::mark_copied_view(Tensor t, const Tensor& source, const char* op);
};

namespace detail {
// var and std of every element (ops/tensor_ops.cpp), for the bool-only overloads below.
Tensor variance_of_all(const Tensor& x, bool unbiased, bool root);
}  // namespace detail

template <class Bool, class>
Tensor Tensor::var(Bool unbiased) const {
  return detail::variance_of_all(*this, unbiased, false);
}

template <class Bool, class>
Tensor Tensor::std(Bool unbiased) const {
  return detail::variance_of_all(*this, unbiased, true);
}

template <class T>
T Tensor::item() const {
  const Scalar s = item();
  return s.isFloatingPoint() ? detail::checked_cast<T>(s.toDouble(), "item") : detail::checked_cast<T>(s.toLong(), "item");
}

// Values then "[ CPUFloatType{2,3} ]", as LibTorch prints a tensor.
std::ostream& operator<<(std::ostream& out, const Tensor& t);

// LibTorch's name for the type string in that last line: "CPUFloatType".
std::string type_string(ScalarType type);

namespace detail {
// A parameter's gradient zeroed in place (LibTorch 1.13's zero_grad), or freed when set_to_none
// (LibTorch 2's default), so that the next backward writes it afresh.
void zero_grad(const Tensor& parameter, bool set_to_none);
}  // namespace detail

template <class T, std::size_t N>
TensorAccessor<T, N> Tensor::accessor() const {
  if (dim() != static_cast<std::int64_t>(N))
    throw Error("accessor: expected a tensor of " + std::to_string(N) + " dims, got shape " + shape_str(shape()));
  std::array<std::int64_t, N> sizes, strides;
  std::int64_t stride = 1;  // contiguous, row-major
  for (std::size_t d = N; d-- > 0;) {
    sizes[d] = size(static_cast<std::int64_t>(d));
    strides[d] = stride;
    stride *= sizes[d];
  }
  return TensorAccessor<T, N>(data_ptr<T>(), sizes, strides);
}

}  // namespace tg
