#include "check.hpp"

using tg::Array;
using tg::Variable;

TEST_CASE("matmul: values by hand and gradients") {
  Variable<float> a(Array<float>{{1.f, 2.f, 3.f}, {4.f, 5.f, 6.f}}, true);
  Variable<float> b(Array<float>{{1.f, 0.f}, {0.f, 1.f}, {1.f, 1.f}}, true);
  auto c = tg::matmul(a, b);
  CHECK(tgtest::allclose(c.value(), Array<float>{{4.f, 5.f}, {10.f, 11.f}}));
  c.backward(Array<float>{{1.f, 0.f}, {0.f, 1.f}});
  // dA = G·Bᵀ, dB = Aᵀ·G
  CHECK(tgtest::allclose(a.grad(), Array<float>{{1.f, 0.f, 1.f}, {0.f, 1.f, 1.f}}));
  CHECK(tgtest::allclose(b.grad(), Array<float>{{1.f, 4.f}, {2.f, 5.f}, {3.f, 6.f}}));
}

TEST_CASE("matmul gradcheck, and accumulation into an existing gradient") {
  using V = std::vector<Variable<double>>;
  auto a = tgtest::rand_var({4, 3}, 1), b = tgtest::rand_var({3, 5}, 2);
  CHECK_GRADCHECK([](const V& in) { return tg::matmul(in[0], in[1]); }, {a, b});
  // The same matrix on both sides, so both gradients accumulate into one buffer (beta = 1).
  auto s = tgtest::rand_var({3, 3}, 3);
  CHECK_GRADCHECK([](const V& in) { return tg::matmul(in[0], in[0]); }, {s});
}

TEST_CASE("matmul: bad shapes throw naming the op") {
  Variable<float> a(Array<float>::from_shape({2, 3})), b(Array<float>::from_shape({4, 2}));
  CHECK_THROWS_WITH_AS(tg::matmul(a, b), "matmul: expected (M,K) @ (K,N), got (2, 3) @ (4, 2)", tg::Error);
  Variable<float> v(Array<float>::from_shape({3}));
  CHECK_THROWS_AS(tg::matmul(a, v), tg::Error);
}
