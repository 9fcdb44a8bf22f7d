// tg::Tensor itself: construction, dtypes, typed access, conversion, autograd methods, in place,
// devices and options, factories.
#include "check.hpp"

#include <functional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

using tg::Array;
using tg::Tensor;
using tg::Variable;
using tgtest::contains;
using tgtest::error_of;

TEST_CASE("Tensor wraps a Variable and shares it, integer tensors hold arrays") {
  Variable<float> v(Array<float>{{1, 2, 3}, {4, 5, 6}}, true);
  Tensor t = v;  // implicit
  CHECK(t.defined());
  CHECK(t.scalar_type() == tg::kFloat);
  CHECK(t.dtype() == tg::kFloat32);
  CHECK(t.is_floating_point());
  CHECK(t.requires_grad());
  CHECK(t.is_leaf());
  CHECK(t.sizes() == tg::IntArrayRef{2, 3});
  CHECK(t.size(0) == 2);
  CHECK(t.size(-1) == 3);
  CHECK(t.dim() == 2);
  CHECK(t.numel() == 6);
  CHECK(t.variable<float>().value_ptr() == v.value_ptr());  // the same buffer, not a copy
  CHECK(t.data_ptr<float>() == v.value().data());

  Tensor d = Variable<double>(Array<double>{1.0, 2.0});
  CHECK(d.scalar_type() == tg::kFloat64);

  Tensor l(tg::Labels{3, 1, 2});
  CHECK(l.scalar_type() == tg::kLong);
  CHECK(l.scalar_type() == tg::kInt64);
  CHECK_FALSE(l.requires_grad());
  CHECK_FALSE(l.is_floating_point());
  CHECK(l.value<std::int64_t>()(0) == 3);

  Tensor b(Array<bool>{true, false});
  CHECK(b.scalar_type() == tg::kBool);

  Tensor u;
  CHECK_FALSE(u.defined());
  CHECK(contains(error_of([&] { (void)u.dim(); }), "undefined"));
}

TEST_CASE("typed access throws naming both dtypes") {
  Tensor t = tg::zeros({2}, tg::kDouble);
  CHECK(contains(error_of([&] { (void)t.variable<float>(); }), "the tensor is Double, expected Float"));
  CHECK(contains(error_of([&] { (void)t.value<std::int64_t>(); }), "the tensor is Double, expected Long"));
  CHECK(contains(error_of([&] { (void)t.data_ptr<float>(); }), "expected Float"));
  CHECK_NOTHROW((void)t.variable<double>());
}

TEST_CASE("item converts like LibTorch's, and rejects more than one element") {
  CHECK(tg::tensor(2.5).item<float>() == 2.5f);
  CHECK(tg::tensor(2.5).item<std::int64_t>() == 2);
  CHECK(tg::tensor(7).item<double>() == 7.0);
  CHECK(tg::tensor(true).item<int>() == 1);
  const tg::Scalar s = tg::tensor({1, 2}).sum().item();
  CHECK(s.isIntegral(false));
  CHECK(s.toLong() == 3);
  CHECK(tg::tensor(2.5).item().isFloatingPoint());
  CHECK(tg::tensor(2.5).item().toDouble() == 2.5);
  std::ostringstream os;
  os << tg::tensor(2.5).item() << ' ' << tg::tensor({1, 2}).sum().item() << ' ' << tg::tensor(true).item();
  CHECK(os.str() == "2.5 3 true");  // as LibTorch prints Scalars
  CHECK(contains(error_of([] { (void)tg::tensor({1, 2}).item<float>(); }), "item: expected a tensor with one element"));
  CHECK(contains(error_of([] { (void)tg::tensor(std::nan("")).item<std::int64_t>(); }), "does not fit"));
}

TEST_CASE("to(dtype) converts, a conversion that would need a gradient across dtypes throws") {
  Tensor l = tg::tensor({1, 0, 3});
  Tensor f = l.to(tg::kFloat);
  CHECK(f.scalar_type() == tg::kFloat);
  CHECK(f.value<float>() == Array<float>{1, 0, 3});
  CHECK(l.to(tg::kBool).value<bool>() == Array<bool>{true, false, true});
  CHECK(tg::tensor({2.7, -2.7}).to(tg::kLong).value<std::int64_t>() == tg::Labels{2, -2});  // truncates
  CHECK(f.to(tg::kFloat).data_ptr<float>() == f.data_ptr<float>());  // same dtype: the same handle
  CHECK(f.to(tg::kCPU).data_ptr<float>() == f.data_ptr<float>());
  CHECK(f.to(tg::Device("cpu"), tg::kDouble).scalar_type() == tg::kDouble);
  CHECK(f.to(tg::dtype(tg::kDouble)).scalar_type() == tg::kDouble);
  CHECK(f.to(tg::tensor({1.0}, tg::kDouble)).scalar_type() == tg::kDouble);

  Tensor w = tg::ones({2}, tg::requires_grad());
  CHECK(contains(error_of([&] { (void)w.to(tg::kDouble); }),
                 "to: converting a Float tensor that requires grad to Double cannot be recorded"));
  {
    tg::NoGradGuard no_grad;
    Tensor wd = w.to(tg::kDouble);
    CHECK(wd.scalar_type() == tg::kDouble);
    CHECK_FALSE(wd.requires_grad());
  }
  CHECK(w.detach().to(tg::kDouble).scalar_type() == tg::kDouble);
}

TEST_CASE("devices: CPU works, CUDA can be named but not used") {
  CHECK_FALSE(tg::cuda::is_available());
  CHECK(tg::cuda::device_count() == 0);
  tg::DeviceType type = tg::cuda::is_available() ? tg::kCUDA : tg::kCPU;
  tg::Device device(type);
  CHECK(device.is_cpu());
  CHECK(device == tg::Device("cpu"));
  CHECK(tg::Device("cuda:1").index() == 1);
  CHECK(tg::Device("cuda:1").str() == "cuda:1");
  Tensor x = tg::ones({2});
  CHECK(x.to(device).device() == tg::kCPU);
  CHECK(contains(error_of([&] { (void)x.to(tg::Device(tg::kCUDA)); }), "to: device cuda is not available"));
  CHECK(contains(error_of([] { (void)tg::zeros({2}, tg::device(tg::kCUDA)); }), "zeros: device cuda"));
  CHECK(contains(error_of([] { (void)tg::Device("tpu"); }), "Device: expected"));
}

TEST_CASE("TensorOptions as LibTorch spells them") {
  auto o = tg::TensorOptions().dtype(tg::kDouble).requires_grad(true).device(tg::kCPU);
  CHECK(o.dtype() == tg::kDouble);
  CHECK(o.requires_grad());
  CHECK(o.device() == tg::kCPU);
  CHECK(tg::TensorOptions().dtype() == tg::kFloat);  // the default
  CHECK_FALSE(tg::TensorOptions().has_dtype());
  CHECK(tg::requires_grad().requires_grad());
  CHECK_FALSE(tg::requires_grad(false).requires_grad());
  CHECK(tg::dtype(tg::kLong).dtype() == tg::kLong);
  std::ostringstream os;
  os << o;
  CHECK(os.str() == "TensorOptions(dtype=Double, device=cpu, requires_grad=true)");
  Tensor x = tg::zeros({2}, o);
  CHECK(x.options().dtype() == tg::kDouble);
  CHECK(x.options().requires_grad());
}

TEST_CASE("requires_grad_, grad, backward, detach, is_leaf") {
  Tensor x = tg::tensor({1.0, 2.0, 3.0}, tg::kDouble);
  CHECK_FALSE(x.requires_grad());
  CHECK_FALSE(x.grad().defined());
  x.requires_grad_();
  CHECK(x.requires_grad());
  Tensor y = (x * x).sum();
  CHECK_FALSE(y.is_leaf());
  y.backward();
  CHECK(x.grad().scalar_type() == tg::kDouble);
  CHECK(x.grad().value<double>() == Array<double>{2, 4, 6});
  // grad() aliases the gradient: zero_() on it zeroes the gradient.
  {
    tg::NoGradGuard no_grad;
    x.grad().zero_();
  }
  CHECK(x.variable<double>().grad() == Array<double>{0, 0, 0});

  Tensor z = x * 2;
  z.backward(tg::ones({3}, tg::kDouble));
  CHECK(x.grad().value<double>() == Array<double>{2, 2, 2});
  Tensor v = x * 3;
  v.backward(tg::ones({3}));  // a Float gradient is converted to the output's dtype
  CHECK(x.grad().value<double>() == Array<double>{5, 5, 5});

  Tensor d = x.detach();
  CHECK_FALSE(d.requires_grad());
  CHECK(d.data_ptr<double>() == x.data_ptr<double>());

  CHECK(contains(error_of([&] { (void)y.requires_grad_(); }), "requires_grad_: only a leaf"));
  CHECK(contains(error_of([] { (void)tg::tensor({1, 2}).requires_grad_(); }),
                 "only tensors of a floating dtype can require gradients, got Long"));
  CHECK(contains(error_of([] { tg::tensor({1, 2}).sum().backward(); }), "backward: expected a floating tensor"));
  CHECK(contains(error_of([] { (void)tg::zeros({2}, tg::TensorOptions(tg::kLong).requires_grad(true)); }),
                 "only tensors of a floating dtype can require gradients"));
}

TEST_CASE("in place: allowed on plain tensors and on leaves under NoGradGuard, refused otherwise") {
  Tensor a = tg::ones({2, 2});
  a += 1;
  a *= tg::full({2}, 3.0);  // broadcast into a's shape
  a -= 0.5;
  a /= 2;
  CHECK(a.value<float>() == Array<float>{{2.75f, 2.75f}, {2.75f, 2.75f}});
  a.zero_();
  CHECK(a.sum().item<float>() == 0.0f);
  a.fill_(4);
  a.add_(tg::ones({2, 2})).mul_(2);
  CHECK(a.value<float>()(0, 0) == 10.0f);

  Tensor n = tg::tensor({1, 2});
  n += 3;
  CHECK(n.value<std::int64_t>() == tg::Labels{4, 5});
  CHECK(contains(error_of([&] { n += 0.5; }), "add_: result type Float can't be cast to the desired output type Long"));
  CHECK(contains(error_of([&] { n /= 2; }), "div_: result type Float"));
  CHECK(contains(error_of([&] { a += tg::ones({3, 2, 2}); }), "add_: the result's shape (3, 2, 2) differs"));

  Tensor w = tg::ones({2}, tg::requires_grad());
  CHECK(contains(error_of([&] { w -= 1; }), "sub_: in-place op on a leaf that requires grad; wrap the update in tg::NoGradGuard"));
  CHECK(contains(error_of([&] { a += w; }), "add_: the other operand requires grad"));
  Tensor nonleaf = w * 2;
  {
    tg::NoGradGuard no_grad;
    w -= tg::full({2}, 0.5);
    CHECK(w.value<float>() == Array<float>{0.5f, 0.5f});
    CHECK(contains(error_of([&] { nonleaf.zero_(); }), "fill_: in-place op on a tensor that requires grad and is the output of an op"));
  }
  Tensor c = tg::zeros({2, 3});
  {
    tg::NoGradGuard no_grad;
    c.copy_(tg::tensor({1, 2, 3}));
  }
  CHECK(c.value<float>() == Array<float>{{1, 2, 3}, {1, 2, 3}});
}

TEST_CASE("a temporary assigned to: values written into a shared one, refused for a copy") {
  Tensor w = tg::tensor({1.0f, 2.0f}).requires_grad_();
  (w * w).sum().backward();  // grad 2, 4
  // dist-mnist.cpp's mean of ranks: written through grad().data() (data() shares the values, as detach()).
  CHECK(w.grad().data().data_ptr<float>() == w.grad().data_ptr<float>());
  w.grad().data() = w.grad().data() / 2;
  CHECK(w.grad().value<float>() == Array<float>{1, 2});
  w.grad() = tg::full({2}, 7.0);  // converted to the gradient's dtype, as copy_
  CHECK(w.grad().value<float>() == Array<float>{7, 7});
  Tensor plain = tg::zeros({2, 2});
  plain.detach() = tg::tensor({1.0f, 3.0f});  // broadcast, as copy_
  CHECK(plain.value<float>() == Array<float>{{1, 3}, {1, 3}});
  // A named tensor is rebound, as LibTorch's.
  Tensor g = w.grad();
  g = tg::zeros({3});
  CHECK(w.grad().value<float>() == Array<float>{7, 7});
  // select, narrow and index make copies here: writing into one would be lost, so it throws.
  CHECK(contains(error_of([&] { plain[0] = tg::ones({2}); }),
                 "Tensor::operator=: assigning to a temporary tensor of shape (2,) made by select that shares no other "
                 "tensor's values; "
                 "tapegrad's select, narrow, index and shape methods return copies, not views as LibTorch's: x[0] = y "
                 "would change a copy (use x.index_put_({0}, y), or copy_)"));
  CHECK(contains(error_of([&] { plain.narrow(1, 0, 1) = tg::ones({2, 1}); }), "assigning to a temporary tensor of shape (2, 1)"));
  CHECK(contains(error_of([&] { w.grad().data() = tg::ones({3}); }), "copy_: shapes (3,) and (2,) do not broadcast"));
  CHECK(plain.value<float>() == Array<float>{{1, 3}, {1, 3}});
}

TEST_CASE("in-place ops refuse the copies that are views in LibTorch while their source lives, named or not") {
  using tg::indexing::Slice;
  Tensor x = tg::zeros({2, 3});
  const std::vector<std::pair<std::string, std::function<void()>>> refused = {
      {"select", [&] { x[0] += 1; }},
      {"narrow", [&] { x.narrow(1, 0, 2).zero_(); }},
      {"index", [&] { x.index({Slice(), 0}).fill_(5); }},
      {"index", [&] { x.slice(1, 0, 3, 2).index_put_({0}, 1); }},
      {"view", [&] { x.view({-1}).mul_(2); }},
      {"reshape", [&] { x.reshape({3, 2}).copy_(tg::ones({3, 2})); }},
      {"flatten", [&] { x.flatten().sub_(1); }},
      {"transpose", [&] { x.t().div_(2); }},
      {"permute", [&] { x.permute({1, 0}).eq_(0); }},
      {"squeeze", [&] { x.squeeze().normal_(); }},
      {"unsqueeze", [&] { x.unsqueeze(0).uniform_(); }},
      {"expand", [&] { x[0].expand({4, 3}).add_(1); }},
      {"split", [&] { x.split(1)[0].add_(1); }},
      {"chunk", [&] { x.chunk(2, 1)[1].add_(1); }},
  };
  for (const auto& entry : refused) {
    const std::string& op = entry.first;  // (not a structured binding: INFO's lambda captures it)
    INFO(op);
    CHECK(contains(error_of(entry.second), " made by " + op + ", which in tapegrad returns a copy where LibTorch returns a view"));
  }
  CHECK(contains(error_of([&] { x[1].zero_(); }),
                 "fill_: in-place op on a tensor of shape (3,) made by select, which in tapegrad returns a copy where "
                 "LibTorch returns a view: the tensor it came from would not change. Write into that tensor "
                 "(index_put_, or copy_ into the whole), or clone() this one to change a copy of your own"));
  Tensor row = x[1];  // named: still a copy of x's row
  CHECK(contains(error_of([&] { row -= 1; }), "sub_: in-place op on a tensor of shape (3,) made by select"));
  CHECK(contains(error_of([&] { x[1].detach().add_(1); }), "made by select"));
  CHECK(x.equal(tg::zeros({2, 3})));
  Tensor mine = x[1].clone();
  mine += 1;
  CHECK(mine.equal(tg::ones({3})));
  Tensor picked = x.index({tg::tensor({1, 0})});  // a tensor index copies in LibTorch too
  picked += 2;
  CHECK(picked.sum().item<float>() == 12);
  CHECK(x.equal(tg::zeros({2, 3})));
  x.index_put_({0}, tg::ones({3}));  // the way to write a row
  x.contiguous().add_(1);            // the same handle: writes reach x, as in LibTorch
  x.to(tg::kFloat).mul_(2);
  x.detach().add_(1);                // shares x's values
  CHECK(x.equal(tg::tensor({5.0f, 5.0f, 5.0f, 3.0f, 3.0f, 3.0f}).view({2, 3})));
  CHECK(contains(error_of([&] { x.detach().view({-1}).zero_(); }), "made by view"));
  Tensor w = tg::ones({2}, tg::requires_grad());
  (w * w).sum().backward();
  CHECK(contains(error_of([&] { w.grad().view({2, 1}).zero_(); }), "made by view"));
  // A copy whose source is gone is its holder's own: a view of a temporary, named.
  Tensor fresh = tg::arange(6.0).view({2, 3});
  fresh.index_put_({0}, 1);
  fresh += 1;
  CHECK(fresh.sum().item<float>() == 2 * 3 + 4 + 5 + 6);
  CHECK(contains(error_of([&] { fresh[1] *= 2; }), "mul_: in-place op on a tensor of shape (3,) made by select"));
  // ... but not yet within the expression that made the temporary, which lives to its end.
  CHECK(contains(error_of([&] { tg::zeros({4}).view({2, 2}).fill_(1); }), "made by view"));
}

TEST_CASE("comparisons in place write 1 or 0 in the tensor's dtype") {
  Tensor guess = tg::tensor({3, 1, 4, 1});
  const Tensor target = tg::tensor({3, 2, 4, 5});
  CHECK(tg::sum(guess.eq_(target)).item<std::int64_t>() == 2);
  CHECK(guess.value<std::int64_t>() == tg::Labels{1, 0, 1, 0});
  Tensor f = tg::tensor({1.0, 2.0, 3.0}, tg::kDouble);
  f.gt_(1.5);
  CHECK(f.value<double>() == Array<double>{0, 1, 1});
  CHECK(tg::tensor({1.0f, 5.0f}).ne_(tg::tensor({1.0f, 2.0f})).value<float>() == Array<float>{0, 1});
  CHECK(tg::tensor({1, 5}).lt_(2).value<std::int64_t>() == tg::Labels{1, 0});
  CHECK(tg::tensor({1, 5}).le_(tg::tensor({1, 4})).value<std::int64_t>() == tg::Labels{1, 0});
  CHECK(tg::tensor({1, 5}).ge_(5).value<std::int64_t>() == tg::Labels{0, 1});
  CHECK(contains(error_of([] { tg::tensor({1, 2}).eq_(tg::ones({3, 2})); }), "does not broadcast to this tensor's shape (2,)"));
  Tensor leaf = tg::ones({2}, tg::requires_grad());
  CHECK(contains(error_of([&] { leaf.eq_(1); }), "eq_: in-place op on a leaf that requires grad"));
}

TEST_CASE("factories: shapes, dtypes inferred as LibTorch's, options") {
  CHECK(tg::zeros({2, 3}).sizes() == tg::IntArrayRef{2, 3});
  CHECK(tg::zeros({2, 3}).scalar_type() == tg::kFloat);
  CHECK(tg::ones({2}, tg::kLong).value<std::int64_t>() == tg::Labels{1, 1});
  CHECK(tg::empty({3}).numel() == 3);
  CHECK(tg::full({2}, 7).scalar_type() == tg::kLong);
  CHECK(tg::full({2}, 1.5).scalar_type() == tg::kFloat);
  CHECK(tg::full({2}, true).scalar_type() == tg::kBool);
  CHECK(tg::full({2}, 7, tg::kDouble).value<double>() == Array<double>{7, 7});
  CHECK(tg::arange(5).scalar_type() == tg::kLong);
  CHECK(tg::arange(5).value<std::int64_t>() == tg::Labels{0, 1, 2, 3, 4});
  CHECK(tg::arange(0., 1., 0.25).value<float>() == Array<float>{0, 0.25f, 0.5f, 0.75f});
  CHECK(tg::arange(1, 7, 2).value<std::int64_t>() == tg::Labels{1, 3, 5});
  CHECK(tg::arange(3, 0, -1).value<std::int64_t>() == tg::Labels{3, 2, 1});
  CHECK(tg::arange(4, tg::kDouble).scalar_type() == tg::kDouble);
  CHECK(tg::linspace(0, 1, 5).value<float>() == Array<float>{0, 0.25f, 0.5f, 0.75f, 1});
  CHECK(tg::eye(2).value<float>() == Array<float>{{1, 0}, {0, 1}});
  CHECK(tg::eye(2, 3, tg::kLong).value<std::int64_t>() == tg::Labels{{1, 0, 0}, {0, 1, 0}});

  CHECK(tg::tensor({1, 2}).scalar_type() == tg::kLong);
  CHECK(tg::tensor({1.0, 2.0}).scalar_type() == tg::kFloat);
  CHECK(tg::tensor({1.0f, 2.0f}).scalar_type() == tg::kFloat);
  CHECK(tg::tensor({true, false}).scalar_type() == tg::kBool);
  CHECK(tg::tensor({1, 2}, tg::kDouble).scalar_type() == tg::kDouble);
  CHECK(tg::tensor(3.5).dim() == 0);
  CHECK(tg::tensor(std::vector<double>{1, 2, 3}).sizes() == tg::IntArrayRef{3});
  Tensor m = tg::tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}});
  CHECK(m.sizes() == tg::IntArrayRef{2, 3});
  CHECK(m.value<float>()(1, 2) == 6.0f);
  Tensor c = tg::tensor({{{1, 2}}, {{3, 4}}});
  CHECK(c.sizes() == tg::IntArrayRef{2, 1, 2});
  CHECK(c.value<std::int64_t>()(1, 0, 1) == 4);
  CHECK(tg::tensor({1.0}, tg::requires_grad()).requires_grad());

  Tensor like = tg::ones({2, 2}, tg::kDouble);
  CHECK(tg::zeros_like(like).scalar_type() == tg::kDouble);
  CHECK(tg::ones_like(like, tg::kLong).scalar_type() == tg::kLong);
  CHECK(tg::full_like(like, 3).value<double>()(1, 1) == 3.0);
  CHECK(tg::empty_like(like).sizes() == like.sizes());
  CHECK(tg::randn_like(like).scalar_type() == tg::kDouble);
  CHECK(tg::rand_like(like).sizes() == like.sizes());

  CHECK(contains(error_of([] { (void)tg::tensor({{1, 2}, {3}}); }), "tensor: expected rows of equal length 2"));
  CHECK(contains(error_of([] { (void)tg::zeros({2, -1}); }), "zeros: expected sizes >= 0, got (2, -1)"));
  CHECK(contains(error_of([] { (void)tg::arange(0, 5, 0); }), "arange: expected a nonzero step"));
  CHECK(contains(error_of([] { (void)tg::arange(5, 0, 1); }), "arange: upper bound and larger bound inconsistent"));
  CHECK(contains(error_of([] { (void)tg::randint(3, 3, {2}); }), "randint: expected low < high"));
  CHECK(contains(error_of([] { (void)tg::randn({2}, tg::kLong); }), "randn: expected a floating dtype"));
  CHECK(contains(error_of([] { (void)tg::zeros({1ll << 40, 1ll << 40}); }),
                 "zeros: shape (1099511627776, 1099511627776) has more elements than a 64-bit count holds"));
}

TEST_CASE("random factories repeat after manual_seed and have the right ranges") {
  tg::manual_seed(3);
  Tensor a = tg::randn({100});
  Tensor r = tg::rand({1000}, tg::kDouble);
  Tensor i = tg::randint(2, 5, {1000});
  tg::manual_seed(3);
  CHECK(tg::randn({100}).value<float>() == a.value<float>());
  CHECK(tg::rand({1000}, tg::kDouble).value<double>() == r.value<double>());
  CHECK(tg::randint(2, 5, {1000}).value<std::int64_t>() == i.value<std::int64_t>());
  CHECK(i.scalar_type() == tg::kLong);
  CHECK(i.min().item<std::int64_t>() == 2);
  CHECK(i.max().item<std::int64_t>() == 4);
  CHECK(r.min().item<double>() >= 0.0);
  CHECK(r.max().item<double>() < 1.0);
  CHECK(tg::randint(10, {3}, tg::kFloat).scalar_type() == tg::kFloat);
}

TEST_CASE("uniform_ and normal_ fill a floating tensor in place, repeatably, and check their arguments") {
  tg::manual_seed(5);
  Tensor u = tg::empty({20000}, tg::kDouble);
  const double* buffer = u.data_ptr<double>();
  u.uniform_(0.8, 1.0);
  CHECK(u.data_ptr<double>() == buffer);
  CHECK(u.min().item<double>() >= 0.8);
  CHECK(u.max().item<double>() < 1.0);
  CHECK(u.mean().item<double>() == doctest::Approx(0.9).epsilon(0.002));
  Tensor n = tg::empty({20000}).normal_(3.0, 2.0);
  CHECK(n.mean().item<double>() == doctest::Approx(3.0).epsilon(0.02));
  CHECK((n - 3.0).pow(2).mean().sqrt().item<double>() == doctest::Approx(2.0).epsilon(0.02));
  tg::manual_seed(5);
  CHECK(tg::empty({20000}, tg::kDouble).uniform_(0.8, 1.0).value<double>() == u.value<double>());

  CHECK(contains(error_of([] { (void)tg::zeros({2}).uniform_(1.0, 0.0); }), "uniform_: expected from <= to, got from = 1"));
  CHECK(contains(error_of([] { (void)tg::zeros({2}).normal_(0.0, -1.0); }), "normal_: expected std >= 0"));
  CHECK(contains(error_of([] { (void)tg::zeros({2}, tg::kLong).uniform_(); }), "uniform_: expected a floating tensor"));
  Tensor w = tg::zeros({2}, tg::requires_grad());
  CHECK(contains(error_of([&] { (void)w.normal_(); }), "normal_"));
  {
    tg::NoGradGuard no_grad;
    w.normal_();  // an initialiser's way
  }
}

TEST_CASE("tg::str joins its arguments as LibTorch's torch::str") {
  CHECK(tg::str("dcgan-sample-", 3, ".pt") == "dcgan-sample-3.pt");
  CHECK(tg::str() == "");
  CHECK(tg::str(1.5, ' ', tg::kFloat) == "1.5 Float");
}
