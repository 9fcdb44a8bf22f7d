// Graph semantics of the tape: accumulation, zero_grad, NoGradGuard, detach, reuse, diamonds,
// retain_graph and freed graphs, and the checker's ability to fail.
#include "check.hpp"

using tg::Array;
using tg::Variable;

TEST_CASE("gradients accumulate over backward calls until zero_grad") {
  Variable<double> x(Array<double>{1.0, 2.0}, true);
  auto y = x * 3.0;
  y.backward(Array<double>{1.0, 1.0});
  CHECK(tgtest::allclose(x.grad(), Array<double>{3.0, 3.0}));
  auto z = x * 3.0;
  z.backward(Array<double>{1.0, 2.0});
  CHECK(tgtest::allclose(x.grad(), Array<double>{6.0, 9.0}));
  x.zero_grad();
  CHECK_FALSE(x.has_grad());
  CHECK_THROWS_WITH_AS(x.grad(), doctest::Contains("has no gradient"), tg::Error);
}

TEST_CASE("a variable used twice gets both contributions: d(x*x)/dx = 2x") {
  Variable<double> x(Array<double>{3.0, -1.5}, true);
  (x * x).backward(Array<double>{1.0, 1.0});
  CHECK(tgtest::allclose(x.grad(), Array<double>{6.0, -3.0}));
}

TEST_CASE("a diamond: y = (a+b)*(a-b) sends a = 2a, b = -2b") {
  Variable<double> a(Array<double>{2.0}, true), b(Array<double>{5.0}, true);
  auto s = a + b, d = a - b;
  (s * d).backward();
  CHECK(a.grad()(0) == doctest::Approx(4.0));
  CHECK(b.grad()(0) == doctest::Approx(-10.0));
}

TEST_CASE("NoGradGuard records nothing and restores the mode") {
  Variable<float> w(Array<float>{1.f}, true);
  {
    tg::NoGradGuard guard;
    CHECK_FALSE(tg::GradMode::is_enabled());
    auto y = w * 2.f;
    CHECK_FALSE(y.requires_grad());
    CHECK(y.is_leaf());
  }
  CHECK(tg::GradMode::is_enabled());
  CHECK((w * 2.f).requires_grad());
}

TEST_CASE("detach shares the value but cuts the graph") {
  Variable<double> x(Array<double>{2.0}, true);
  auto y = x * x;
  auto d = y.detach();
  CHECK_FALSE(d.requires_grad());
  CHECK(d.value_ptr() == y.value_ptr());
  // z = d * x: only the direct path reaches x, so dz/dx = d = 4, not 3x² = 12.
  (d * x).backward();
  CHECK(x.grad()(0) == doctest::Approx(4.0));
}

TEST_CASE("retain_graph allows a second backward, without it the graph is freed") {
  Variable<double> x(Array<double>{1.5}, true);
  auto y = x * x * x;
  y.backward(/*retain_graph=*/true);
  CHECK(x.grad()(0) == doctest::Approx(3 * 1.5 * 1.5));
  y.backward();
  CHECK(x.grad()(0) == doctest::Approx(2 * 3 * 1.5 * 1.5));
  CHECK_THROWS_WITH_AS(y.backward(), doctest::Contains("already freed"), tg::Error);
}

TEST_CASE("backward through an intermediate of a freed graph throws instead of dropping the gradient") {
  Variable<double> x(Array<double>{2.0}, true);
  auto h = x * 3.0;
  (h * 2.0).backward();
  auto second = h * 5.0;  // recorded now, but h's own producer is gone
  CHECK_THROWS_WITH_AS(second.backward(), doctest::Contains("already freed"), tg::Error);
}

TEST_CASE("a graph no backward has reached stays usable while a tensor holds it (a GAN's step)") {
  // Generator g, discriminator d, as in a GAN: d learns on g's output detached, then g through d.
  tg::TapeScope<double> fresh_tape;
  Variable<double> z(Array<double>{0.5, -1.0}), wg(Array<double>{2.0, 3.0}, true), wd(Array<double>{1.5, -0.5}, true);
  auto fake = tg::tanh(z * wg);
  tg::sum(fake.detach() * wd).backward();  // reaches only d's ops: g's two stay
  CHECK(tg::Tape<double>::current().size() == 2);
  CHECK_FALSE(wg.has_grad());
  tg::sum(fake * wd).backward();
  const Array<double> t = xt::tanh(z.value() * wg.value());
  CHECK(tgtest::allclose(wg.grad(), Array<double>(wd.value() * (1.0 - t * t) * z.value())));
  CHECK(tgtest::allclose(wd.grad(), Array<double>(2.0 * t)));
  CHECK(tg::Tape<double>::current().size() == 0);
}

TEST_CASE("backward frees what it reached and what no tensor holds, keeps the rest") {
  tg::TapeScope<double> fresh_tape;
  Variable<double> x(Array<double>{2.0}, true);
  {
    auto dropped = x * 4.0;  // its tensor goes before the backward
  }
  auto held = x * 3.0, also_held = tg::exp(held);
  (x * 2.0).backward();
  CHECK(tg::Tape<double>::current().size() == 2);  // held's and also_held's ops
  also_held.backward();
  CHECK(x.grad()(0) == doctest::Approx(2.0 + 3.0 * std::exp(6.0)));
  CHECK(tg::Tape<double>::current().size() == 0);
  CHECK_THROWS_WITH_AS(held.backward(), doctest::Contains("already freed"), tg::Error);

  // A kept op whose input's graph was run and freed: reaching it later throws, as LibTorch's.
  auto h = x * 5.0;
  auto later = h * 7.0;
  h.backward();
  CHECK_THROWS_WITH_AS(later.backward(), doctest::Contains("backward reached a tensor produced by 'mul' whose graph was already freed"),
                       tg::Error);
}

TEST_CASE("backward: misuse throws with a clear message") {
  Variable<float> c(Array<float>{1.f, 2.f});
  CHECK_THROWS_WITH_AS(c.backward(), doctest::Contains("not a scalar"), tg::Error);
  Variable<float> s(Array<float>{1.f});
  CHECK_THROWS_WITH_AS(s.backward(), doctest::Contains("does not require grad"), tg::Error);
  Variable<float> x(Array<float>{1.f, 2.f}, true);
  auto y = x * 2.f;
  CHECK_THROWS_WITH_AS(y.backward(Array<float>{1.f, 2.f, 3.f}), doctest::Contains("gradient of shape (3,)"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(y.requires_grad_(false), doctest::Contains("only a leaf"), tg::Error);
  CHECK_THROWS_WITH_AS(y.grad(), doctest::Contains("non-leaf"), tg::Error);
  CHECK_THROWS_WITH_AS(x.item(), doctest::Contains("item: expected a tensor with one element"), tg::Error);
}

TEST_CASE("unrelated graphs on the tape are skipped by a backward") {
  Variable<double> a(Array<double>{1.0}, true), b(Array<double>{1.0}, true);
  auto unrelated = b * 7.0;
  (a * 2.0).backward();
  CHECK(a.grad()(0) == doctest::Approx(2.0));
  CHECK_FALSE(b.has_grad());
}

namespace {
// A user-defined op with a deliberately wrong backward (the factor 2 is missing): gradcheck must fail.
tg::Variable<double> bad_square(const tg::Variable<double>& x) {
  return tg::record<double>("bad_square", Array<double>(x.value() * x.value()), {x},
                            [xv = x.value_ptr()](Array<double>& g, tg::Grads<double>& grads) {
                              grads.add(0, Array<double>(g * *xv));
                            });
}
tg::Variable<double> good_square(const tg::Variable<double>& x) {
  return tg::record<double>("square", Array<double>(x.value() * x.value()), {x},
                            [xv = x.value_ptr()](Array<double>& g, tg::Grads<double>& grads) {
                              grads.add(0, Array<double>(2.0 * g * *xv));
                            });
}
}  // namespace

TEST_CASE("gradcheck catches a wrong backward and reports where") {
  using V = std::vector<Variable<double>>;
  auto x = tgtest::rand_var({2, 3}, 7, 0.5, 1.5);
  CHECK_GRADCHECK([](const V& in) { return good_square(in[0]); }, {x});
  const auto r = tg::gradcheck([](const V& in) { return bad_square(in[0]); }, {x});
  CHECK_FALSE(r.ok);
  CHECK_MESSAGE(r.message.find("input 0 element (0, 0)") != std::string::npos, r.message);
  CHECK_MESSAGE(r.message.find("analytic") != std::string::npos, r.message);
}

TEST_CASE("gradcheck catches a gradient of the wrong shape and a backward that ignores its seed") {
  using V = std::vector<Variable<double>>;
  auto x = tgtest::rand_var({2, 2}, 8);
  auto wrong_shape = [](const V& in) {
    return tg::record<double>("wrong_shape", Array<double>(in[0].value()), {in[0]},
                              [](Array<double>&, tg::Grads<double>& grads) {
                                // A gradient that is not of the input's shape (and not broadcastable to it).
                                grads.add(0, Array<double>(xt::ones<double>({3})));
                              });
  };
  auto r = tg::gradcheck(wrong_shape, {x});
  CHECK_FALSE(r.ok);
  CHECK_MESSAGE(r.message.find("wrong_shape") != std::string::npos, r.message);
  auto ignores_seed = [](const V& in) {
    return tg::record<double>("ignores_seed", Array<double>(in[0].value()), {in[0]},
                              [](Array<double>& g, tg::Grads<double>& grads) {
                                grads.add(0, Array<double>(xt::ones_like(g)));
                              });
  };
  r = tg::gradcheck(ignores_seed, {x});
  CHECK_FALSE(r.ok);
}

TEST_CASE("gradcheck leaves the caller's pending graph alone") {
  using V = std::vector<Variable<double>>;
  Variable<double> w(Array<double>{2.0}, true);
  auto pending = w * w;  // recorded on this thread's tape, not yet swept
  auto x = tgtest::rand_var({3}, 9);
  CHECK_GRADCHECK([](const V& in) { return in[0] * in[0]; }, {x});
  pending.backward();
  CHECK(w.grad()(0) == doctest::Approx(4.0));
}
