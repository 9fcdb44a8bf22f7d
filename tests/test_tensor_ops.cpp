// Ops at Tensor level: dtype rules, agreement with the typed path (values and gradients), overload
// resolution between the Tensor overloads and the typed templates, errors, and gradcheck through
// Tensor-level code.
#include "check.hpp"

#include <cmath>
#include <sstream>
#include <type_traits>

using tg::Array;
using tg::Tensor;
using tg::Variable;
using tgtest::contains;
using tgtest::error_of;
using TV = std::vector<Tensor>;

namespace {

// A float64 Tensor leaf with reproducible values in [lo, hi).
Tensor rand_t(const tg::Shape& shape, unsigned seed, double lo = -1, double hi = 1) {
  return tgtest::rand_var(shape, seed, lo, hi);
}

}  // namespace

TEST_CASE("overloads: Variables pick the typed ops, Tensors and mixes the Tensor ones") {
  Variable<float> v(Array<float>{{1, -2}, {3, 4}}, true);
  Tensor t = v;
  static_assert(std::is_same_v<decltype(tg::relu(v)), Variable<float>>);
  static_assert(std::is_same_v<decltype(tg::relu(t)), Tensor>);
  static_assert(std::is_same_v<decltype(v + v), Variable<float>>);
  static_assert(std::is_same_v<decltype(v * 2), Variable<float>>);
  static_assert(std::is_same_v<decltype(2.0 - v), Variable<float>>);
  static_assert(std::is_same_v<decltype(v + t), Tensor>);
  static_assert(std::is_same_v<decltype(t * 2), Tensor>);
  static_assert(std::is_same_v<decltype(2 / t), Tensor>);
  static_assert(std::is_same_v<decltype(-v), Variable<float>>);
  static_assert(std::is_same_v<decltype(-t), Tensor>);
  static_assert(std::is_same_v<decltype(tg::sum(v, {1})), Variable<float>>);
  static_assert(std::is_same_v<decltype(tg::sum(t, {1})), Tensor>);
  static_assert(std::is_same_v<decltype(tg::max(v, 1)), tg::MaxResult<float>>);
  static_assert(std::is_same_v<decltype(tg::max(t, 1)), std::tuple<Tensor, Tensor>>);
  static_assert(std::is_same_v<decltype(tg::pow(v, 2)), Variable<float>>);
  static_assert(std::is_same_v<decltype(tg::pow(t, 2)), Tensor>);
  static_assert(std::is_same_v<decltype(tg::leaky_relu(v, 0.2)), Variable<float>>);
  static_assert(std::is_same_v<decltype(tg::max_pool2d(v, 2)), Variable<float>>);
  static_assert(std::is_same_v<decltype(tg::logsumexp(v, 1)), Variable<float>>);
  static_assert(std::is_same_v<decltype(tg::matmul(v, t)), Tensor>);
  static_assert(std::is_same_v<decltype(tg::nn::functional::relu(t)), Tensor>);
  static_assert(std::is_same_v<decltype(tg::nn::functional::relu(v)), Variable<float>>);
  static_assert(std::is_same_v<decltype(tg::einsum("ij->ji", std::vector<Variable<float>>{v})), Variable<float>>);
  static_assert(std::is_same_v<decltype(tg::einsum("ij->ji", {t})), Tensor>);
  CHECK((v + t).value<float>() == Array<float>{{2, -4}, {6, 8}});
}

TEST_CASE("arithmetic: tensors and scalars on either side, broadcasting, dtype rules") {
  Tensor a = tg::tensor({{1.0, 2.0}, {3.0, 4.0}});
  Tensor b = tg::tensor({10.0, 20.0});
  CHECK((a + b).value<float>() == Array<float>{{11, 22}, {13, 24}});
  CHECK((a - b).value<float>() == Array<float>{{-9, -18}, {-7, -16}});
  CHECK((a * b).value<float>() == Array<float>{{10, 40}, {30, 80}});
  CHECK((b / a).value<float>() == Array<float>{{10, 10}, {10.0f / 3, 5}});
  CHECK((a + 1).value<float>() == Array<float>{{2, 3}, {4, 5}});
  CHECK((1 - a).value<float>() == Array<float>{{0, -1}, {-2, -3}});
  CHECK((a - 1).value<float>() == Array<float>{{0, 1}, {2, 3}});
  CHECK((2 * a).value<float>() == Array<float>{{2, 4}, {6, 8}});
  CHECK((a / 2).value<float>() == Array<float>{{0.5f, 1}, {1.5f, 2}});
  CHECK((4 / a).value<float>() == Array<float>{{4, 2}, {4.0f / 3, 1}});
  CHECK((-a).value<float>() == Array<float>{{-1, -2}, {-3, -4}});
  CHECK(a.add(b).sub(1).mul(2).div(b).scalar_type() == tg::kFloat);

  Tensor l = tg::tensor({1, 2, 3});
  CHECK((l + l).scalar_type() == tg::kLong);
  CHECK((l * 2).scalar_type() == tg::kLong);
  CHECK((l * 2).value<std::int64_t>() == tg::Labels{2, 4, 6});
  CHECK((3 - l).value<std::int64_t>() == tg::Labels{2, 1, 0});
  CHECK((-l).value<std::int64_t>() == tg::Labels{-1, -2, -3});
  CHECK((l * 2.5).scalar_type() == tg::kFloat);
  CHECK((l / 2).scalar_type() == tg::kFloat);  // true division
  CHECK((l / l).value<float>() == Array<float>{1, 1, 1});
  CHECK((l + tg::tensor({0.5, 0.5, 0.5})).scalar_type() == tg::kFloat);
  CHECK((tg::tensor({true, false}) + 1).scalar_type() == tg::kLong);
  CHECK((tg::ones({2}) + tg::ones({2}, tg::kDouble)).scalar_type() == tg::kDouble);  // promotes, as LibTorch
  CHECK((tg::ones({2}, tg::kDouble) * 2.5).scalar_type() == tg::kDouble);

  CHECK(contains(error_of([&] { (void)(a + tg::ones({3})); }), "add: shapes (2, 2) and (3,) do not broadcast"));
  CHECK(contains(error_of([&] { (void)(l + tg::ones({2}, tg::kLong)); }), "add: shapes (3,) and (2,) do not broadcast"));
  CHECK(contains(error_of([] { (void)(tg::tensor({true}) - tg::tensor({true})); }), "sub: arithmetic on two Bool tensors"));
  Tensor w = tg::ones({2}, tg::requires_grad());
  CHECK(contains(error_of([&] { (void)(w + tg::ones({2}, tg::kDouble)); }),
                 "add: converting a Float tensor that requires grad to Double cannot be recorded"));
}

TEST_CASE("comparisons give Bool, work with scalars, and count with sum") {
  Tensor a = tg::tensor({1.0, 2.0, 3.0});
  Tensor b = tg::tensor({3.0, 2.0, 1.0});
  CHECK(a.eq(b).scalar_type() == tg::kBool);
  CHECK(a.eq(b).value<bool>() == Array<bool>{false, true, false});
  CHECK(a.ne(b).value<bool>() == Array<bool>{true, false, true});
  CHECK(a.lt(b).value<bool>() == Array<bool>{true, false, false});
  CHECK(a.le(b).value<bool>() == Array<bool>{true, true, false});
  CHECK(a.gt(2).value<bool>() == Array<bool>{false, false, true});
  CHECK(a.ge(2).value<bool>() == Array<bool>{false, true, true});
  CHECK((a == b).value<bool>() == Array<bool>{false, true, false});
  CHECK((a != 2).value<bool>() == Array<bool>{true, false, true});
  CHECK((a < b).value<bool>() == Array<bool>{true, false, false});
  CHECK((a <= 1.5).value<bool>() == Array<bool>{true, false, false});
  CHECK((a > b).value<bool>() == Array<bool>{false, false, true});
  CHECK((a >= b).value<bool>() == Array<bool>{false, true, true});
  CHECK(tg::tensor({0.1}).eq(0.1).item<bool>());  // the scalar is compared in the tensor's float

  Tensor logits = tg::tensor({{0.1, 0.7, 0.2}, {0.9, 0.05, 0.05}, {0.2, 0.3, 0.5}});
  Tensor targets = tg::tensor({1, 2, 2});
  Tensor correct = logits.argmax(1).eq(targets).sum();
  CHECK(correct.scalar_type() == tg::kLong);
  CHECK(correct.item<std::int64_t>() == 2);
  CHECK(logits.argmax(1).eq(targets).to(tg::kFloat).mean().item<float>() == doctest::Approx(2.0 / 3));
  CHECK(tg::tensor({true, true, false}).sum().scalar_type() == tg::kLong);
  CHECK(tg::tensor({true, true, false}).sum().item<std::int64_t>() == 2);
  CHECK(contains(error_of([&] { (void)a.eq(tg::ones({2})); }), "eq: shapes (3,) and (2,) do not broadcast"));
  Tensor w = tg::ones({2}, tg::requires_grad());
  CHECK_FALSE(w.gt(0).requires_grad());
}

TEST_CASE("reductions: sum, mean, max, min, argmax, argmin, with dims and keepdim") {
  Tensor x = tg::tensor({{1.0, 5.0, 3.0}, {4.0, 2.0, 6.0}});
  CHECK(x.sum().item<float>() == 21);
  CHECK(x.sum(0).value<float>() == Array<float>{5, 7, 9});
  CHECK(x.sum({0, 1}).item<float>() == 21);
  CHECK(x.sum(1, true).sizes() == tg::IntArrayRef{2, 1});
  CHECK(x.mean().item<float>() == 3.5f);
  CHECK(x.mean(-1).value<float>() == Array<float>{3, 4});
  CHECK(x.max().item<float>() == 6);
  CHECK(x.min().item<float>() == 1);
  auto [values, indices] = x.max(1);
  CHECK(values.value<float>() == Array<float>{5, 6});
  CHECK(indices.scalar_type() == tg::kLong);
  CHECK(indices.value<std::int64_t>() == tg::Labels{1, 2});
  auto [mins, where] = x.min(0, true);
  CHECK(mins.value<float>() == Array<float>{{1, 2, 3}});
  CHECK(where.value<std::int64_t>() == tg::Labels{{0, 1, 0}});
  CHECK(x.amax(0).value<float>() == Array<float>{4, 5, 6});
  CHECK(x.argmax().dim() == 0);
  CHECK(x.argmax().item<std::int64_t>() == 5);
  CHECK(x.argmin().item<std::int64_t>() == 0);
  CHECK(x.argmax(0).value<std::int64_t>() == tg::Labels{1, 0, 1});
  CHECK(x.argmin(1, true).value<std::int64_t>() == tg::tensor({{0}, {1}}).value<std::int64_t>());
  CHECK(tg::tensor({1.0, double(NAN), 3.0, double(NAN)}).argmax().item<std::int64_t>() == 1);  // NaN is the max, first one
  CHECK(tg::tensor({1.0, double(NAN), 0.0}).argmin().item<std::int64_t>() == 1);
  CHECK(tg::tensor({2.0, 7.0, 7.0}).argmax().item<std::int64_t>() == 1);     // first of ties

  Tensor l = tg::tensor({{3, 9}, {7, 1}});
  CHECK(l.sum().item<std::int64_t>() == 20);
  CHECK(l.sum(0).value<std::int64_t>() == tg::Labels{10, 10});
  CHECK(l.sum(1, true).value<std::int64_t>() == tg::tensor({{12}, {8}}).value<std::int64_t>());
  CHECK(l.max().item<std::int64_t>() == 9);
  CHECK(l.min().item<std::int64_t>() == 1);
  auto [lv, li] = l.max(0);
  CHECK(lv.value<std::int64_t>() == tg::Labels{7, 9});
  CHECK(li.value<std::int64_t>() == tg::Labels{1, 0});
  CHECK(tg::tensor({std::int64_t(1) << 60, std::int64_t(1)}).sum().item<std::int64_t>() == (std::int64_t(1) << 60) + 1);  // exact
  CHECK(contains(error_of([&] { (void)l.mean(); }), "mean: expected a floating tensor (Float or Double), got Long"));
  CHECK(contains(error_of([&] { (void)x.sum(2); }), "sum: dim 2 is out of range"));
  CHECK(contains(error_of([] { (void)tg::zeros({0}).max(); }), "max: expected a non-empty tensor"));
}

TEST_CASE("shape methods on floating and integer tensors") {
  Tensor x = tg::arange(24.0).reshape({2, 3, 4});
  CHECK(x.scalar_type() == tg::kFloat);
  CHECK(x.view({-1, 12}).sizes() == tg::IntArrayRef{2, 12});
  CHECK(x.flatten().sizes() == tg::IntArrayRef{24});
  CHECK(x.flatten(1).sizes() == tg::IntArrayRef{2, 12});
  CHECK(x.unsqueeze(1).sizes() == tg::IntArrayRef{2, 1, 3, 4});
  CHECK(x.unsqueeze(-1).sizes() == tg::IntArrayRef{2, 3, 4, 1});
  CHECK(x.unsqueeze(0).squeeze().sizes() == tg::IntArrayRef{2, 3, 4});
  CHECK(x.unsqueeze(0).squeeze(0).sizes() == tg::IntArrayRef{2, 3, 4});
  CHECK(x.squeeze(1).sizes() == tg::IntArrayRef{2, 3, 4});  // size 3: unchanged
  CHECK(x.transpose(0, 2).sizes() == tg::IntArrayRef{4, 3, 2});
  CHECK(x.permute({2, 0, 1}).sizes() == tg::IntArrayRef{4, 2, 3});
  CHECK(x.permute({2, 0, 1}).value<float>()(1, 1, 2) == 12 + 8 + 1);
  CHECK(x.contiguous().is_contiguous());
  CHECK(x.view_as(tg::zeros({4, 6})).sizes() == tg::IntArrayRef{4, 6});
  CHECK(x.reshape_as(tg::zeros({24})).dim() == 1);
  CHECK(x.narrow(2, 1, 2).sizes() == tg::IntArrayRef{2, 3, 2});
  Tensor m = tg::tensor({{1.0, 2.0}, {3.0, 4.0}});
  CHECK(m.t().value<float>() == Array<float>{{1, 3}, {2, 4}});
  CHECK(m.clone().value<float>() == m.value<float>());
  CHECK(m.clone().data_ptr<float>() != m.data_ptr<float>());

  Tensor l = tg::arange(6).reshape({2, 3});
  CHECK(l.scalar_type() == tg::kLong);
  CHECK(l.t().value<std::int64_t>() == tg::Labels{{0, 3}, {1, 4}, {2, 5}});
  CHECK(l.view({-1}).value<std::int64_t>() == tg::Labels{0, 1, 2, 3, 4, 5});
  CHECK(l.unsqueeze(0).sizes() == tg::IntArrayRef{1, 2, 3});
  CHECK(l.narrow(1, 1, 1).value<std::int64_t>() == tg::tensor({{1}, {4}}).value<std::int64_t>());
  CHECK(l.index_select(1, tg::tensor({2, 0})).value<std::int64_t>() == tg::Labels{{2, 0}, {5, 3}});
  CHECK(tg::tensor({true, false}).unsqueeze(1).value<bool>() == tg::tensor({{true}, {false}}).value<bool>());
  // Integer tensors keep exact values past 2^53 through shape ops.
  const std::int64_t big = (std::int64_t(1) << 60) + 1;
  CHECK(tg::tensor({big, std::int64_t(0)}).reshape({2, 1}).value<std::int64_t>()(0, 0) == big);

  CHECK(contains(error_of([&] { (void)x.view({5, -1}); }), "view: cannot reshape a tensor of shape (2, 3, 4)"));
  CHECK(contains(error_of([&] { (void)l.view({5, -1}); }), "view: cannot reshape"));
  CHECK(contains(error_of([&] { (void)x.unsqueeze(4); }), "unsqueeze: dim 4 is out of range"));
  CHECK(contains(error_of([&] { (void)x.t(); }), "t: expected a tensor of at most 2 dims"));
}

TEST_CASE("index_select and gather take Long indices, the index dtype is checked") {
  Tensor x = tg::tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}}, tg::requires_grad());
  Tensor rows = x.index_select(0, tg::tensor({1, 1, 0}));
  CHECK(rows.value<float>() == Array<float>{{4, 5, 6}, {4, 5, 6}, {1, 2, 3}});
  Tensor picked = x.gather(1, tg::tensor({{2}, {0}}));
  CHECK(picked.value<float>() == tg::tensor({{3.0}, {4.0}}).value<float>());
  (rows.sum() + picked.sum()).backward();
  CHECK(x.grad().value<float>() == Array<float>{{1, 1, 2}, {3, 2, 2}});
  CHECK(contains(error_of([&] { (void)x.index_select(0, tg::tensor({1.0})); }),
                 "index_select: expected index of dtype Long, got Float"));
  CHECK(contains(error_of([&] { (void)x.gather(1, tg::tensor({{true}, {false}})); }),
                 "gather: expected index of dtype Long, got Bool"));
  CHECK(contains(error_of([&] { (void)x.index_select(0, tg::tensor({2})); }), "index_select: index 2"));
}

TEST_CASE("math and activations as methods and free functions") {
  Tensor x = tg::tensor({-2.0, -0.5, 0.0, 1.0, 4.0}, tg::kDouble);
  auto same = [](const Tensor& t, const Array<double>& e) { return tgtest::allclose(t.value<double>(), e); };
  CHECK(same(x.relu(), {0, 0, 0, 1, 4}));
  CHECK(same(tg::relu(x), {0, 0, 0, 1, 4}));
  CHECK(same(x.abs(), {2, 0.5, 0, 1, 4}));
  CHECK(same(x.clamp(-1, 2), {-1, -0.5, 0, 1, 2}));
  CHECK(same(x.clamp(0), {0, 0, 0, 1, 4}));
  CHECK(same(x.clamp({}, 0.5), {-2, -0.5, 0, 0.5, 0.5}));
  CHECK(same(x.clamp_min(-1), {-1, -0.5, 0, 1, 4}));
  CHECK(same(x.clamp_max(0), {-2, -0.5, 0, 0, 0}));
  CHECK(same(x.pow(2), {4, 0.25, 0, 1, 16}));
  CHECK(same(tg::pow(x, 3), {-8, -0.125, 0, 1, 64}));
  CHECK(same(x.abs().sqrt(), {std::sqrt(2.0), std::sqrt(0.5), 0, 1, 2}));
  CHECK(same(x.exp().log(), {-2, -0.5, 0, 1, 4}));
  CHECK(same(x.tanh(), {std::tanh(-2.0), std::tanh(-0.5), 0, std::tanh(1.0), std::tanh(4.0)}));
  CHECK(same(x.sigmoid(), {1 / (1 + std::exp(2.0)), 1 / (1 + std::exp(0.5)), 0.5, 1 / (1 + std::exp(-1.0)), 1 / (1 + std::exp(-4.0))}));
  CHECK(same(tg::leaky_relu(x, 0.1), {-0.2, -0.05, 0, 1, 4}));
  CHECK(x.softmax(0).sum().item<double>() == doctest::Approx(1.0));
  CHECK(x.log_softmax(0).exp().sum().item<double>() == doctest::Approx(1.0));
  CHECK(x.logsumexp(0).item<double>() == doctest::Approx(std::log(x.exp().sum().item<double>())));
  CHECK(contains(error_of([] { (void)tg::tensor({1, 2}).relu(); }), "relu: expected a floating tensor (Float or Double), got Long"));
  CHECK(contains(error_of([] { (void)tg::tensor({1, 2}).exp(); }), "exp: expected a floating tensor"));
  CHECK(contains(error_of([&] { (void)x.clamp(std::nullopt, std::nullopt); }), "clamp: expected a min or a max"));
}

TEST_CASE("backward through Tensor ops matches the typed path") {
  // The same small network, once on Variables and once on Tensors.
  Variable<double> x = tgtest::rand_var({4, 3}, 1), w = tgtest::rand_var({5, 3}, 2), b = tgtest::rand_var({5}, 3);
  tg::Labels y{0, 4, 2, 1};
  Variable<double> typed_loss = tg::cross_entropy(tg::relu(tg::linear(x, w, b)) * 2.0 - 0.5, y);
  typed_loss.backward();
  const Array<double> gx = x.grad(), gw = w.grad(), gb = b.grad();
  x.zero_grad();
  w.zero_grad();
  b.zero_grad();

  Tensor tx = x, tw = w, tb = b;
  Tensor loss = tg::cross_entropy(tg::relu(tg::linear(tx, tw, tb)) * 2.0 - 0.5, Tensor(y));
  CHECK(loss.item<double>() == typed_loss.item());
  loss.backward();
  CHECK(tx.grad().value<double>() == gx);
  CHECK(tw.grad().value<double>() == gw);
  CHECK(tb.grad().value<double>() == gb);
}

TEST_CASE("layers and losses at Tensor level") {
  tg::manual_seed(0);
  Tensor x = tg::randn({2, 1, 8, 8});
  Tensor w = tg::randn({3, 1, 3, 3}, tg::requires_grad());
  Tensor b = tg::zeros({3}, tg::requires_grad());
  Tensor y = tg::conv2d(x, w, b, 1, 1);
  CHECK(y.sizes() == tg::IntArrayRef{2, 3, 8, 8});
  CHECK(tg::conv2d(x, w).sizes() == tg::IntArrayRef{2, 3, 6, 6});
  CHECK(tg::conv2d(x, w, {}, {2, 1}, {0, 1}).sizes() == tg::IntArrayRef{2, 3, 3, 8});
  Tensor typed = tg::conv2d(x.variable<float>(), w.variable<float>(), b.variable<float>(), 1, 1);
  CHECK(y.value<float>() == typed.value<float>());
  Tensor p = tg::max_pool2d(y, 2);
  CHECK(p.sizes() == tg::IntArrayRef{2, 3, 4, 4});
  CHECK(tg::max_pool2d(y, {3, 3}, {2, 2}, 1).sizes() == tg::IntArrayRef{2, 3, 4, 4});
  Tensor logits = tg::linear(p.view({2, -1}), tg::randn({10, 48}));
  Tensor logp = tg::log_softmax(logits, 1);
  Tensor target = tg::tensor({3, 7});
  Tensor nll = tg::nll_loss(logp, target);
  CHECK(nll.item<float>() == doctest::Approx(tg::cross_entropy(logits, target).item<float>()).epsilon(1e-5));
  Tensor total = tg::nll_loss(logp, target, {}, tg::Reduction::Sum);
  CHECK(total.item<float>() == doctest::Approx(2 * nll.item<float>()).epsilon(1e-5));
  CHECK(tg::nll_loss(logp, target, {}, tg::Reduction::None).sizes() == tg::IntArrayRef{2});
  total.backward();
  CHECK(w.grad().sizes() == w.sizes());
  CHECK(b.grad().defined());
  CHECK(tg::mse_loss(tg::ones({3}), tg::zeros({3})).item<float>() == 1.0f);
  CHECK(tg::matmul(tg::ones({2, 3}), tg::ones({3, 4})).value<float>()(1, 3) == 3.0f);
  CHECK(tg::ones({2, 3}).matmul(tg::ones({3, 1}, tg::kDouble)).scalar_type() == tg::kDouble);
  CHECK(tg::einsum("ij,jk->ik", {tg::ones({2, 3}), tg::ones({3, 4})}).value<float>()(0, 0) == 3.0f);

  namespace F = tg::nn::functional;
  CHECK(F::relu(tg::ones({2})).scalar_type() == tg::kFloat);
  CHECK(F::cross_entropy(logits, target).item<float>() == doctest::Approx(nll.item<float>()).epsilon(1e-5));

  CHECK(contains(error_of([&] { (void)tg::nll_loss(logp, target.to(tg::kFloat)); }),
                 "nll_loss: expected target of dtype Long, got Float"));
  CHECK(contains(error_of([&] { (void)tg::conv2d(x, w, b, {1, 1, 1}); }), "conv2d: expected stride as one number or two"));
  CHECK(contains(error_of([&] { (void)tg::linear(tg::tensor({{1, 2}}), tg::tensor({{1, 2}})); }),
                 "linear: expected floating tensors (Float or Double), got Long, Long"));
}

TEST_CASE("gradcheck through Tensor-level ops, in float64") {
  auto check = [](const tg::autograd::TensorGradcheckFn& fn, const TV& in) {
    const auto r = tg::autograd::gradcheck(fn, in);
    CHECK_MESSAGE(r.ok, r.message);
  };
  Tensor a = rand_t({3, 4}, 11), b = rand_t({4}, 12, 0.5, 2.0);
  check([](const TV& in) { return (in[0] * in[1] - in[1] / 3.0 + 2.0 * in[0]).sum(); }, {a, b});
  check([](const TV& in) { return (1.0 / in[0] + in[0].pow(3) - in[0].sqrt() + in[0].log()).mean(); }, {b});
  check([](const TV& in) { return in[0].abs() * in[0].clamp(-0.5, 0.5) + in[0].exp(); }, {a});
  check([](const TV& in) { return in[0].tanh() + in[0].sigmoid() + in[0].relu(); }, {a});
  check([](const TV& in) { return std::get<0>(in[0].max(1)) + std::get<0>(in[0].min(1)) + in[0].max() + in[0].min(); }, {a});
  check([](const TV& in) { return in[0].view({2, 6}).t().unsqueeze(0).permute({2, 1, 0}).squeeze().transpose(0, 1); }, {a});
  check([](const TV& in) { return in[0].sum(0, true) + in[0].mean({0, 1}) + in[0].logsumexp(1, true); }, {a});
  check([](const TV& in) { return in[0].log_softmax(1).index_select(0, tg::tensor({2, 0})).gather(1, tg::tensor({{1}, {3}})); }, {a});
  check([](const TV& in) { return tg::matmul(in[0], in[1].view({4, 1})).clone(); }, {a, b});
  check([](const TV& in) { return tg::linear(in[0], in[0], in[1].narrow(0, 0, 3)); }, {a, b});
  check([](const TV& in) { return tg::cross_entropy(in[0], tg::tensor({1, 0, 3})); }, {a});
  check([](const TV& in) { return tg::einsum("ij,j->i", {in[0], in[1]}); }, {a, b});
  check([](const TV& in) { return in[0].masked_select(in[0] > 0.5); }, {a});
  check([](const TV& in) { return tg::masked_select(in[0], tg::tensor({true, false, true, true})); }, {a});  // broadcast
  CHECK(contains(error_of([&] { (void)tg::autograd::gradcheck([](const TV& in) { return in[0]; }, {tg::ones({2})}); }),
                 "the tensor is Float, expected Double"));
}

TEST_CASE("abs and clamp: typed gradchecks and gradients at the edges, as torch") {
  Variable<double> x(Array<double>{-1.5, -0.25, 0.3, 2.0}, true);
  CHECK_GRADCHECK([](const auto& in) { return tg::abs(in[0]); }, {x});
  CHECK_GRADCHECK([](const auto& in) { return tg::clamp(in[0], -1.0, 1.0); }, {x});
  CHECK_GRADCHECK([](const auto& in) { return tg::clamp(in[0], std::nullopt, 0.0); }, {x});
  Variable<double> edge(Array<double>{0.0, 1.0, -1.0, NAN}, true);
  tg::sum(tg::abs(edge) + tg::clamp(edge, -1.0, 1.0)).backward();
  // abs' at 0 is 0; clamp passes the gradient at both bounds; NaN gets none from clamp.
  CHECK(edge.grad()(0) == 1.0);
  CHECK(edge.grad()(1) == 2.0);
  CHECK(edge.grad()(2) == 0.0);
  CHECK(std::isnan(tg::clamp(edge, -1.0, 1.0).value()(3)));
}

TEST_CASE("cat, stack, split and chunk at Tensor level: values, gradients, dtypes") {
  Tensor a = tg::tensor({{1.0, 2.0}, {3.0, 4.0}}, tg::requires_grad()), b = tg::tensor({{5.0, 6.0}}, tg::requires_grad());
  Tensor c = tg::cat({a, b});
  CHECK(c.value<float>() == Array<float>{{1, 2}, {3, 4}, {5, 6}});
  CHECK(tg::cat({a, a}, 1).sizes() == tg::IntArrayRef{2, 4});
  CHECK(tg::stack({a, a}, 1).sizes() == tg::IntArrayRef{2, 2, 2});
  (c * tg::arange(6.0).view({3, 2})).sum().backward();
  CHECK(a.grad().value<float>() == Array<float>{{0, 1}, {2, 3}});
  CHECK(b.grad().value<float>() == Array<float>{{4, 5}});

  std::vector<Tensor> pieces = c.split(2);
  REQUIRE(pieces.size() == 2);
  CHECK(pieces[1].value<float>() == Array<float>{{5, 6}});
  CHECK(tg::split(c, {1, 2}, 0)[1].sizes() == tg::IntArrayRef{2, 2});
  CHECK(c.chunk(2, 1)[1].value<float>() == tg::tensor({{2.0}, {4.0}, {6.0}}).value<float>());

  // A list takes its common dtype; integer tensors stay exact past 2^53.
  const std::int64_t big = (std::int64_t(1) << 60) + 1;
  Tensor l = tg::cat({tg::tensor({big}), tg::tensor({true, false})});
  CHECK(l.scalar_type() == tg::kLong);
  CHECK(l.value<std::int64_t>() == tg::Labels{big, 1, 0});
  CHECK(tg::cat({tg::tensor({1}), tg::tensor({0.5})}).scalar_type() == tg::kFloat);
  CHECK(tg::stack({tg::tensor({true}), tg::tensor({false})}).value<bool>() == tg::tensor({{true}, {false}}).value<bool>());
  CHECK(l.split(2)[0].value<std::int64_t>() == tg::Labels{big, 1});
  CHECK(tg::tensor({1, 2, 3, 4, 5}).chunk(2)[1].value<std::int64_t>() == tg::Labels{4, 5});

  CHECK(contains(error_of([] { (void)tg::cat({}); }), "cat: expected a non-empty list of tensors"));
  CHECK(contains(error_of([&] { (void)tg::cat({a, Tensor()}); }), "cat: the tensor is undefined"));
  CHECK(contains(error_of([&] { (void)tg::cat({a, tg::zeros({2, 3, 1})}); }), "cat"));
  CHECK(contains(error_of([&] { (void)tg::stack({a, b}); }), "stack"));
}

TEST_CASE("select and x[i]: a slice with the dim dropped, negative indices, range errors") {
  Tensor x = tg::arange(6.0).view({2, 3}).requires_grad_();
  CHECK(x[1].value<float>() == Array<float>{3, 4, 5});
  CHECK(x[-2].value<float>() == Array<float>{0, 1, 2});
  CHECK(x.select(1, 2).value<float>() == Array<float>{2, 5});
  CHECK(x[1][2].item<float>() == 5.f);
  CHECK(x[0].dim() == 1);
  (x[1] * 2).sum().backward();
  CHECK(x.grad().value<float>() == Array<float>{{0, 0, 0}, {2, 2, 2}});
  CHECK(tg::arange(4)[3].item<std::int64_t>() == 3);
  CHECK(contains(error_of([&] { (void)x[2]; }),
                 "select: index 2 is out of range for dim 0 of size 2 in shape (2, 3) (expected -size <= index < size)"));
  CHECK(contains(error_of([&] { (void)x.select(1, -4); }), "select: index -4 is out of range for dim 1 of size 3"));
  CHECK(contains(error_of([&] { (void)x[0][0][0]; }), "select: expected a tensor of at least one dim, got a 0-d tensor"));
  CHECK(contains(error_of([&] { (void)x.select(2, 0); }), "select: dim 2 is out of range"));
}

TEST_CASE("expand, expand_as and mm at Tensor level") {
  Tensor bias = tg::tensor({1.0, 2.0, 3.0}, tg::requires_grad());
  Tensor out = tg::zeros({2, 3});
  CHECK(bias.unsqueeze(0).expand_as(out).value<float>() == Array<float>{{1, 2, 3}, {1, 2, 3}});
  bias.expand({4, -1}).sum().backward();
  CHECK(bias.grad().value<float>() == Array<float>{4, 4, 4});
  CHECK(tg::tensor({{true}, {false}}).expand({2, 2}).value<bool>() ==
        tg::tensor({{true, true}, {false, false}}).value<bool>());

  Tensor m = tg::tensor({{1.0, 2.0}, {3.0, 4.0}});
  CHECK(m.mm(tg::tensor({{1.0}, {1.0}})).value<float>() == tg::tensor({{3.0}, {7.0}}).value<float>());
  CHECK(contains(error_of([&] { (void)m.mm(tg::tensor({1.0, 1.0})); }),
                 "mm: expected 2-D tensors (n, k) and (k, m), got (2, 2) and (2,)"));
  CHECK(contains(error_of([&] { (void)m.mm(tg::zeros({3, 1})); }), "mm: expected 2-D tensors (n, k) and (k, m), got (2, 2) and (3, 1)"));
}

TEST_CASE("norm, all and any at Tensor level") {
  Tensor v = tg::tensor({{3.0, -4.0}, {0.0, 0.0}});
  CHECK(v.norm().item<float>() == 5.f);
  CHECK(v.norm(1).item<float>() == 7.f);
  CHECK(v.norm(2, 1).value<float>() == Array<float>{5, 0});
  CHECK(v.norm(std::nullopt, {0}, true).sizes() == tg::IntArrayRef{1, 2});
  CHECK(v.norm(2, {}).item<float>() == 5.f);  // an empty dim list: every dim
  CHECK(contains(error_of([] { (void)tg::tensor({1, 2}).norm(); }), "norm: expected a floating tensor"));

  CHECK(v.all().item<bool>() == false);
  CHECK(v.any().item<bool>() == true);
  CHECK(v.all(1).value<bool>() == tg::tensor({true, false}).value<bool>());
  CHECK(v.any(0, true).value<bool>() == tg::tensor({{true, true}}).value<bool>());
  CHECK(tg::tensor({std::nan(""), 1.0}).all().item<bool>());  // NaN is nonzero
  CHECK(tg::zeros({0}).all().item<bool>());
  CHECK(!tg::zeros({0}).any().item<bool>());
  CHECK(tg::tensor({1, 2}).eq(tg::tensor({1, 2})).all().item<bool>());
}

TEST_CASE("grad_fn names the producing op as LibTorch does, and leaves and tensors without grad have none") {
  Tensor x = tg::ones({2, 2}, tg::requires_grad());
  CHECK(!x.grad_fn());
  CHECK((x + 2).grad_fn()->name() == "AddBackward0");
  CHECK((x * x * 3).grad_fn()->name() == "MulBackward0");
  CHECK((x * 3).mean().grad_fn()->name() == "MeanBackward0");
  CHECK(x.log_softmax(1).grad_fn()->name() == "LogSoftmaxBackward0");
  CHECK(tg::ones({2}).exp().grad_fn() == nullptr);
  {
    tg::NoGradGuard no_grad;
    CHECK(!(x + 2).grad_fn());
  }
  CHECK(tg::autograd::backward_node_name("index_select") == "IndexSelectBackward0");
}

TEST_CASE("gradcheck through cat, stack, split, chunk, select, expand, mm and norm, in float64") {
  auto check = [](const tg::autograd::TensorGradcheckFn& fn, const TV& in) {
    const auto r = tg::autograd::gradcheck(fn, in);
    CHECK_MESSAGE(r.ok, r.message);
  };
  Tensor a = rand_t({3, 4}, 21), b = rand_t({2, 4}, 22);
  check([](const TV& in) { return tg::cat({in[0], in[1] * 2}) + tg::cat({in[1], in[0]}, 0); }, {a, b});
  check([](const TV& in) { return tg::stack({in[0], in[0].exp()}, 2); }, {a});
  check([](const TV& in) { auto p = in[0].split({1, 3}, 1); return p[0] * p[1].sum(1, true); }, {a});
  check([](const TV& in) { auto p = in[0].chunk(2, 0); return p[0].sum() * p[1].sum(); }, {a});
  check([](const TV& in) { return in[0][2] * in[0].select(1, -1)[0]; }, {a});
  check([](const TV& in) { return in[0].unsqueeze(0).expand({2, -1, -1}) * in[1].sum(0).expand_as(in[0]); }, {a, b});
  check([](const TV& in) { return in[0].mm(in[1].t()); }, {a, b});
  check([](const TV& in) { return in[0].norm() + in[0].norm(3, 1).sum() + in[0].norm(1, {0, 1}, true).sum(); }, {a});
}

TEST_CASE("LibTorch-style code: fitting a polynomial with cat, mm, x[i] and item()") {
  tg::manual_seed(3);
  // y = 0.5 x^3 - 2 x^2 + x + 1 on features [x, x^2, x^3].
  const Tensor w_true = tg::tensor({{1.0}, {-2.0}, {0.5}}), b_true = tg::tensor({1.0});
  auto features = [](const Tensor& x) {
    std::vector<Tensor> powers;
    for (int k = 1; k <= 3; ++k) powers.push_back(x.unsqueeze(1).pow(k));
    return tg::cat(powers, 1);
  };
  auto fc = tg::nn::Linear(3, 1);
  tg::optim::SGD opt(fc->parameters(), 0.05);
  float loss = 1;
  for (int step = 0; step < 3000 && loss > 1e-4f; ++step) {
    const Tensor x = features(tg::randn({32}));
    const Tensor y = x.mm(w_true) + b_true.item();
    opt.zero_grad();
    Tensor l = tg::smooth_l1_loss(fc(x), y);
    loss = l.item<float>();
    l.backward();
    opt.step();
  }
  CHECK(loss <= 1e-4f);
  const Tensor w = fc->weight.view({-1});
  for (int k = 0; k < 3; ++k) CHECK(w[k].item<float>() == doctest::Approx(w_true[k][0].item<float>()).epsilon(0.02));
  CHECK(fc->bias[0].item<float>() == doctest::Approx(1.0).epsilon(0.02));
}

TEST_CASE("where and masked_fill take Bool tensors, broadcast, and send gradients where picked") {
  Tensor a = tg::tensor({{1.0, -2.0}, {-3.0, 4.0}}, tg::requires_grad()), b = tg::tensor({10.0, 20.0}, tg::requires_grad());
  const Tensor picked = tg::where(a > 0, a, b);
  CHECK(picked.value<float>() == Array<float>{{1, 20}, {10, 4}});
  picked.sum().backward();
  CHECK(a.grad().value<float>() == Array<float>{{1, 0}, {0, 1}});
  CHECK(b.grad().value<float>() == Array<float>{1, 1});
  CHECK(tg::where(a > 0, a, 0).value<float>() == Array<float>{{1, 0}, {0, 4}});
  CHECK(a.masked_fill(a < 0, -1.5).value<float>() == Array<float>{{1, -1.5}, {-1.5, 4}});
  CHECK(a.masked_fill(tg::tensor({true, false}), 0).value<float>() == Array<float>{{0, -2}, {0, 4}});
  CHECK(contains(error_of([&] { (void)tg::where(a, a, b); }), "where: expected a condition of dtype Bool, got Float"));
  CHECK(contains(error_of([&] { (void)a.masked_fill(tg::tensor({1, 0}), 0); }), "masked_fill: expected a mask of dtype Bool, got Long"));
}

TEST_CASE("var, std, square and isnan at Tensor level, as LibTorch's") {
  const Tensor x = tg::tensor({{1.0, 2.0, 3.0}, {4.0, 6.0, 8.0}}, tg::kDouble);
  CHECK(x.var().item<double>() == doctest::Approx(6.8));  // unbiased: 34 / 5
  CHECK(x.var(false).item<double>() == doctest::Approx(34.0 / 6));
  CHECK(tgtest::allclose(x.var({1}).value<double>(), Array<double>{1.0, 4.0}));
  CHECK(x.var(1).value<double>() == x.var({1}).value<double>());  // a dim, not LibTorch's unbiased = 1
  CHECK(tg::var(x, 1).value<double>() == x.var({1}).value<double>());
  CHECK(tgtest::allclose(x.std({0}, false, true).value<double>(), Array<double>{{1.5, 2.0, 2.5}}));
  CHECK(x.std().item<double>() == doctest::Approx(std::sqrt(6.8)));
  CHECK(std::isnan(tg::tensor({3.0}).var().item<double>()));  // n - 1 = 0
  CHECK(x.square().value<double>() == (x * x).value<double>());
  CHECK(tg::tensor({1.0, std::nan(""), 0.0}).isnan().value<bool>() == tg::tensor({false, true, false}).value<bool>());
  CHECK(!tg::tensor({1, 2}).isnan().any().item<bool>());
  CHECK(x.cpu().is_same(x));
  auto check = [](const tg::autograd::TensorGradcheckFn& fn, const TV& in) {
    const auto r = tg::autograd::gradcheck(fn, in);
    CHECK_MESSAGE(r.ok, r.message);
  };
  const Tensor r = rand_t({3, 4}, 31);
  check([](const TV& in) { return in[0].var() + in[0].std({1}).sum() + in[0].var({0}, false, true).sum(); }, {r});
  check([](const TV& in) { return tg::where(in[0] > 0, in[0].square(), in[0] * 3).masked_fill(in[0] > 0.5, 2.0); }, {r});
}

TEST_CASE("nn::Functional holds a function in a Sequential, with extra arguments or as a lambda") {
  tg::manual_seed(2);
  tg::nn::Sequential net(tg::nn::Linear(3, 4), tg::nn::Functional(tg::relu), tg::nn::Functional(tg::leaky_relu, 0.5),
                         tg::nn::Functional([](const Tensor& x) { return x * 2; }));
  const Tensor x = tg::randn({2, 3});
  const Tensor h = net->at<tg::nn::LinearImpl>(0).forward(x);
  CHECK(net->forward(x).value<float>() == (tg::relu(h) * 2).value<float>());
  CHECK(tg::nn::Functional(tg::leaky_relu, 0.5)(tg::tensor({-2.0})).item<float>() == -1.f);
  std::ostringstream out;
  out << net->at<tg::nn::FunctionalImpl>(1);
  CHECK(out.str() == "Functional()");
}
