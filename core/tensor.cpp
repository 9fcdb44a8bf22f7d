#include <tapegrad/core/tensor.hpp>

#include <algorithm>
#include <cctype>
#include <memory>
#include <string>

#include <tapegrad/core/checked_cast.hpp>
#include <tapegrad/core/dispatch.hpp>
#include <tapegrad/core/grad_fn.hpp>
#include <tapegrad/core/grad_mode.hpp>
#include <tapegrad/core/random.hpp>
#include <tapegrad/core/thread_pool.hpp>

namespace tg {

// An undefined Variable gives an undefined Tensor (a layer's absent bias stays absent).
Tensor::Tensor(Variable<float> v)
    : impl_(v.defined() ? std::make_shared<Data>(std::move(v)) : nullptr), shares_values_(false), view_op_(nullptr) {}
Tensor::Tensor(Variable<double> v)
    : impl_(v.defined() ? std::make_shared<Data>(std::move(v)) : nullptr), shares_values_(false), view_op_(nullptr) {}
Tensor::Tensor(Array<float> values, bool requires_grad)
    : impl_(std::make_shared<Data>(Variable<float>(std::move(values), requires_grad))),
      shares_values_(false),
      view_op_(nullptr) {}
Tensor::Tensor(Array<double> values, bool requires_grad)
    : impl_(std::make_shared<Data>(Variable<double>(std::move(values), requires_grad))),
      shares_values_(false),
      view_op_(nullptr) {}
Tensor::Tensor(Array<std::int64_t> values)
    : impl_(std::make_shared<Data>(make_shared_array<std::int64_t>(std::move(values)))),
      shares_values_(false),
      view_op_(nullptr) {}
Tensor::Tensor(Array<bool> values)
    : impl_(std::make_shared<Data>(make_shared_array<bool>(std::move(values)))),
      shares_values_(false),
      view_op_(nullptr) {}

namespace detail {

Tensor mark_copied_view(Tensor t, const Tensor& source, const char* op) {
  t.view_op_ = op;
  t.origin_.reset();
  // x.view({-1})[0] is part of x: the source's own origin while that lives, else the source.
  if (op) t.origin_ = source.origin_.expired() ? decltype(t.origin_)(source.impl_) : source.origin_;
  return t;
}

}  // namespace detail

void Tensor::set_data(const Tensor& data) {
  check_defined("set_data");
  data.check_defined("set_data");
  *impl_ = *data.impl_;
  view_op_ = nullptr;  // the values are no longer a copy of part of another tensor
  origin_.reset();
}

void Tensor::check_defined(const char* op) const {
  if (!defined()) throw Error(std::string(op) + ": the tensor is undefined (default-constructed)");
}

ScalarType Tensor::scalar_type() const {
  check_defined("scalar_type");
  static constexpr ScalarType by_index[] = {kFloat, kFloat, kDouble, kLong, kBool};
  return by_index[impl_->index()];
}

TensorOptions Tensor::options() const { return TensorOptions().dtype(scalar_type()).requires_grad(requires_grad()); }

Shape Tensor::shape() const {
  check_defined("shape");
  return visit_values(*this, [](const auto& a) { return to_shape(a.shape()); });
}

std::int64_t Tensor::size(std::int64_t dim) const {
  const Shape s = shape();
  return static_cast<std::int64_t>(s[normalize_dim(dim, s.size(), "size")]);
}

std::int64_t Tensor::numel() const {
  check_defined("numel");
  return visit_values(*this, [](const auto& a) { return static_cast<std::int64_t>(a.size()); });
}

template <class T>
const Variable<T>& Tensor::variable() const {
  static_assert(std::is_same_v<T, float> || std::is_same_v<T, double>, "variable<T>: T is float or double");
  if (const auto* v = impl_ ? std::get_if<Variable<T>>(impl_.get()) : nullptr) return *v;
  check_defined("variable");
  throw Error(std::string("variable<") + (std::is_same_v<T, float> ? "float" : "double") + ">: the tensor is " +
              to_string(scalar_type()) + ", expected " + to_string(scalar_type_v<T>) + " (convert with .to(tg::k" +
              to_string(scalar_type_v<T>) + "))");
}

template <class T>
Variable<T>& Tensor::variable() {
  return const_cast<Variable<T>&>(static_cast<const Tensor&>(*this).variable<T>());
}

template <class T>
const Array<T>& Tensor::value() const {
  if constexpr (std::is_floating_point_v<T>) {
    return variable<T>().value();
  } else {
    if (const auto* p = impl_ ? std::get_if<std::shared_ptr<Array<T>>>(impl_.get()) : nullptr) return **p;
    check_defined("value");
    throw Error(std::string("value<") + (std::is_same_v<T, bool> ? "bool" : "int64_t") + ">: the tensor is " +
                to_string(scalar_type()) + ", expected " + to_string(scalar_type_v<T>));
  }
}

template <class T>
Array<T>& Tensor::value() {
  return const_cast<Array<T>&>(static_cast<const Tensor&>(*this).value<T>());
}

template <class T>
T* Tensor::data_ptr() const {
  return const_cast<T*>(value<T>().data());
}

Scalar Tensor::item() const {
  if (numel() != 1)
    throw Error("item: expected a tensor with one element, got shape " + shape_str(shape()));
  return visit_values(*this, [](const auto& a) { return Scalar(*a.data()); });
}

// ---- autograd ----

bool Tensor::requires_grad() const {
  check_defined("requires_grad");
  if (scalar_type() == kFloat) return variable<float>().requires_grad();
  if (scalar_type() == kDouble) return variable<double>().requires_grad();
  return false;
}

const Tensor& Tensor::requires_grad_(bool on) const {
  check_defined("requires_grad_");
  if (!is_floating_point()) {
    if (on)
      throw Error(std::string("requires_grad_: only tensors of a floating dtype can require gradients, got ") +
                  to_string(scalar_type()));
    return *this;
  }
  // A Variable copy shares the autograd record, so setting the flag on it sets ours.
  if (scalar_type() == kFloat) Variable<float>(variable<float>()).requires_grad_(on);
  else Variable<double>(variable<double>()).requires_grad_(on);
  return *this;
}

bool Tensor::is_leaf() const {
  check_defined("is_leaf");
  if (scalar_type() == kFloat) return variable<float>().is_leaf();
  if (scalar_type() == kDouble) return variable<double>().is_leaf();
  return true;
}

std::shared_ptr<autograd::Node> Tensor::grad_fn() const {
  check_defined("grad_fn");
  const char* op = nullptr;
  if (scalar_type() == kFloat && !variable<float>().is_leaf()) op = variable<float>().meta()->op;
  if (scalar_type() == kDouble && !variable<double>().is_leaf()) op = variable<double>().meta()->op;
  return op ? std::make_shared<autograd::Node>(autograd::backward_node_name(op)) : nullptr;
}

namespace autograd {

std::string backward_node_name(const char* op) {
  std::string name;
  bool word_start = true;
  for (const char* c = op; *c; ++c) {
    if (*c == '_') {
      word_start = true;
      continue;
    }
    name += word_start ? static_cast<char>(std::toupper(static_cast<unsigned char>(*c))) : *c;
    word_start = false;
  }
  return name + "Backward0";
}

}  // namespace autograd

namespace {

// A Variable whose value IS v's gradient buffer (an aliasing pointer that keeps v's record alive).
template <class T>
Tensor grad_alias(const Variable<T>& v) {
  if (!v.has_grad()) return Tensor();
  return Tensor(Variable<T>(std::shared_ptr<Array<T>>(v.meta(), &v.meta()->grad)));
}

}  // namespace

Tensor Tensor::grad() const {
  check_defined("grad");
  Tensor g;
  if (scalar_type() == kFloat) g = grad_alias(variable<float>());
  else if (scalar_type() == kDouble) g = grad_alias(variable<double>());
  g.shares_values_ = g.defined();
  g.origin_ = impl_;
  return g;
}

namespace detail {

void zero_grad(const Tensor& parameter, bool set_to_none) {
  const auto reset = [set_to_none](const auto& v) {
    if (!v.has_grad()) return;
    auto variable = v;  // a handle: zero_grad and grad() act on the shared leaf
    if (set_to_none) return variable.zero_grad();
    using T = typename std::decay_t<decltype(v)>::value_type;
    T* g = variable.grad().data();
    // The same chunks as the optimizer's update, so each thread zeroes the part it will update.
    parallel_for(0, static_cast<std::int64_t>(variable.grad().size()), kElementwiseGrain,
                 [g](std::int64_t b, std::int64_t e) { std::fill(g + b, g + e, T(0)); });
  };
  if (parameter.scalar_type() == kFloat) reset(parameter.variable<float>());
  else if (parameter.scalar_type() == kDouble) reset(parameter.variable<double>());
}

}  // namespace detail

void Tensor::backward(const Tensor& gradient, bool retain_graph) const {
  check_floating(*this, "backward");
  auto run = [&](const auto& v) {
    using T = typename std::decay_t<decltype(v)>::value_type;
    if (!gradient.defined()) return v.backward(retain_graph);
    NoGradGuard no_grad;
    v.backward(promote_to(gradient, scalar_type_v<T>, "backward").template value<T>(), retain_graph);
  };
  if (scalar_type() == kFloat) run(variable<float>());
  else run(variable<double>());
}

Tensor Tensor::detach() const {
  check_defined("detach");
  Tensor d = *this;
  if (scalar_type() == kFloat) d = variable<float>().detach();
  else if (scalar_type() == kDouble) d = variable<double>().detach();
  d.shares_values_ = true;
  // x[0].detach() shares the copy's values, not x's: a copied view as x[0] is.
  const bool copied_view = is_copied_view();
  d.view_op_ = copied_view ? view_op_ : nullptr;
  d.origin_ = copied_view ? origin_ : impl_;
  return d;
}

Tensor& Tensor::operator=(const Tensor& values) && {
  if (!shares_values_ || is_copied_view())
    throw Error("Tensor::operator=: assigning to a temporary tensor of shape " +
                (defined() ? shape_str(shape()) : std::string("(undefined)")) +
                (view_op_ ? std::string(" made by ") + view_op_ : std::string()) +
                " that shares no other tensor's values; tapegrad's select, narrow, index and shape methods return "
                "copies, not views as LibTorch's: x[0] = y would change a copy (use x.index_put_({0}, y), or copy_)");
  return copy_(values);
}

Tensor& Tensor::operator=(Tensor&& values) && { return std::move(*this) = static_cast<const Tensor&>(values); }

// ---- conversion ----

namespace {

template <class To>
Tensor converted(const Tensor& x, const char* op) {
  return visit_values(x, [op](const auto& a) { return Tensor(detail::cast_array<To>(a, op)); });
}

}  // namespace

Tensor Tensor::to(ScalarType dtype) const { return promote_to(*this, dtype, "to"); }

Tensor Tensor::to(const TensorOptions& options) const {
  check_defined("to");
  check_cpu(options.device(), "to");
  if (options.has_requires_grad() && options.requires_grad())
    throw Error("to: TensorOptions with requires_grad(true) are not accepted by to() (as in LibTorch); call "
                "requires_grad_() on the result");
  return options.has_dtype() ? to(options.dtype()) : *this;
}

Tensor Tensor::to(Device device, ScalarType dtype) const { return to(TensorOptions(device).dtype(dtype)); }

Tensor promote_to(const Tensor& x, ScalarType dtype, const char* op) {
  if (!x.defined()) throw Error(std::string(op) + ": the tensor is undefined (default-constructed)");
  if (x.scalar_type() == dtype) return x;
  if (x.requires_grad() && GradMode::is_enabled())
    throw Error(std::string(op) + ": converting a " + to_string(x.scalar_type()) + " tensor that requires grad to " +
                to_string(dtype) +
                " cannot be recorded (the float and double tapes are separate); convert the leaves "
                "under tg::NoGradGuard, or detach() first");
  switch (dtype) {
    case kFloat: return converted<float>(x, op);
    case kDouble: return converted<double>(x, op);
    case kLong: return converted<std::int64_t>(x, op);
    case kBool: break;
  }
  return converted<bool>(x, op);
}

void check_floating(const Tensor& x, const char* op) {
  if (!x.defined()) throw Error(std::string(op) + ": the tensor is undefined (default-constructed)");
  if (!x.is_floating_point())
    throw Error(std::string(op) + ": expected a floating tensor (Float or Double), got " + to_string(x.scalar_type()) +
                "; convert with .to(tg::kFloat)");
}

// ---- in place ----

void Tensor::check_inplace(const char* op) const {
  check_defined(op);
  if (is_copied_view())
    throw Error(std::string(op) + ": in-place op on a tensor of shape " + shape_str(shape()) + " made by " + view_op_ +
                ", which in tapegrad returns a copy where LibTorch returns a view: the tensor it came from would not "
                "change. Write into that tensor (index_put_, or copy_ into the whole), or clone() this one to change "
                "a copy of your own");
  if (!requires_grad()) return;
  if (!is_leaf())
    throw Error(std::string(op) + ": in-place op on a tensor that requires grad and is the output of an op; "
                                  "tapegrad does not record in-place ops (use the out-of-place op)");
  if (GradMode::is_enabled())
    throw Error(std::string(op) + ": in-place op on a leaf that requires grad; wrap the update in "
                                  "tg::NoGradGuard (as optimizers do)");
}

Tensor& Tensor::assign_inplace(const Tensor& result, const char* op) {
  const Shape mine = shape(), theirs = result.shape();
  if (mine != theirs)
    throw Error(std::string(op) + ": the result's shape " + shape_str(theirs) + " differs from this tensor's " +
                shape_str(mine) + " (an in-place op cannot change the shape)");
  if (result.scalar_type() != scalar_type())
    throw Error(std::string(op) + ": result type " + to_string(result.scalar_type()) +
                " can't be cast to the desired output type " + to_string(scalar_type()));
  visit_values(result, [&](const auto& src) {
    using T = typename std::decay_t<decltype(src)>::value_type;
    std::copy(src.begin(), src.end(), value<T>().data());
  });
  return *this;
}

Tensor& Tensor::fill_(const Scalar& v) {
  check_inplace("fill_");
  visit_values(*this, [&](const auto& a) {
    using T = typename std::decay_t<decltype(a)>::value_type;
    const T x = v.isFloatingPoint() ? detail::checked_cast<T>(v.toDouble(), "fill_")
                                    : detail::checked_cast<T>(v.toLong(), "fill_");
    std::fill_n(value<T>().data(), a.size(), x);
  });
  return *this;
}

namespace {

// Random values drawn into a new array, copied into x's buffer: the one every handle and data_ptr knows.
template <class T>
void copy_into(Tensor& x, const Array<T>& drawn) {
  std::copy(drawn.begin(), drawn.end(), x.value<T>().begin());
}

}  // namespace

Tensor& Tensor::uniform_(double from, double to) {
  check_inplace("uniform_");
  check_floating(*this, "uniform_");
  if (!(from <= to))
    throw Error("uniform_: expected from <= to, got from = " + std::to_string(from) + ", to = " + std::to_string(to));
  if (scalar_type() == kFloat) copy_into(*this, rand_uniform<float>(shape(), static_cast<float>(from), static_cast<float>(to)));
  else copy_into(*this, rand_uniform<double>(shape(), from, to));
  return *this;
}

Tensor& Tensor::normal_(double mean, double std) {
  check_inplace("normal_");
  check_floating(*this, "normal_");
  if (!(std >= 0)) throw Error("normal_: expected std >= 0, got " + std::to_string(std));
  if (scalar_type() == kFloat) copy_into(*this, randn<float>(shape(), static_cast<float>(mean), static_cast<float>(std)));
  else copy_into(*this, randn<double>(shape(), mean, std));
  return *this;
}

Tensor& Tensor::zero_() { return fill_(0); }

Tensor& Tensor::copy_(const Tensor& src) {
  check_inplace("copy_");
  const Shape mine = shape();
  if (broadcast_shapes(src.shape(), mine, "copy_") != mine)
    throw Error("copy_: source of shape " + shape_str(src.shape()) + " does not broadcast to this tensor's shape " +
                shape_str(mine));
  NoGradGuard no_grad;
  const Tensor s = src.detach().to(scalar_type());
  visit_values(s, [&](const auto& a) {
    using T = typename std::decay_t<decltype(a)>::value_type;
    Array<T> b = xt::broadcast(a, mine);
    std::copy(b.begin(), b.end(), value<T>().data());
  });
  return *this;
}

Tensor& Tensor::assign_comparison(const Tensor& result, const char* op) {
  check_inplace(op);
  return copy_(result);
}

#define TG_INSTANTIATE(T)                        \
  template const Array<T>& Tensor::value<T>() const; \
  template Array<T>& Tensor::value<T>();         \
  template T* Tensor::data_ptr<T>() const;
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)
TG_INSTANTIATE(std::int64_t)
TG_INSTANTIATE(bool)
#undef TG_INSTANTIATE
template const Variable<float>& Tensor::variable<float>() const;
template const Variable<double>& Tensor::variable<double>() const;
template Variable<float>& Tensor::variable<float>();
template Variable<double>& Tensor::variable<double>();

}  // namespace tg
