// diag (ops/tensor_ops.hpp): a vector onto a diagonal and a diagonal out of a matrix, as torch's;
// gradients both ways, and bad input.
#include "check.hpp"

using tg::Array;

using tgtest::as_double;

TEST_CASE("diag: a 1-D tensor onto any diagonal of a square matrix") {
  const auto a = tg::tensor({0.5950, -0.0872, 2.3298}, tg::kDouble);  // torch's documented example
  CHECK(tgtest::allclose(as_double(a.diag()),
                         Array<double>{{0.5950, 0, 0}, {0, -0.0872, 0}, {0, 0, 2.3298}}));
  CHECK(tgtest::allclose(as_double(tg::diag(a, 1)), Array<double>{{0, 0.5950, 0, 0},
                                                                   {0, 0, -0.0872, 0},
                                                                   {0, 0, 0, 2.3298},
                                                                   {0, 0, 0, 0}}));
  const auto l = tg::diag(tg::tensor({1, 2}, tg::kLong), -1);
  CHECK(l.scalar_type() == tg::kLong);
  CHECK(tgtest::allclose(as_double(l), Array<double>{{0, 0, 0}, {1, 0, 0}, {0, 2, 0}}));
  const auto b = tg::tensor({true, false}, tg::kBool).diag();
  CHECK(b.scalar_type() == tg::kBool);
  CHECK(tgtest::allclose(as_double(b), Array<double>{{1, 0}, {0, 0}}));
  CHECK(tgtest::allclose(as_double(tg::ones({2, 3}, tg::kBool).diag(1)), Array<double>{1, 1}));
}

TEST_CASE("diag: a diagonal of a 2-D tensor, empty outside it") {
  const auto m = tg::arange(1, 13).reshape({3, 4});  // 1..12
  CHECK(tgtest::allclose(as_double(m.diag()), Array<double>{1, 6, 11}));
  CHECK(tgtest::allclose(as_double(m.diag(1)), Array<double>{2, 7, 12}));
  CHECK(tgtest::allclose(as_double(m.diag(-1)), Array<double>{5, 10}));
  CHECK(tgtest::allclose(as_double(m.diag(3)), Array<double>{4}));
  CHECK(m.diag(4).sizes() == std::vector<std::int64_t>{0});
  CHECK(m.diag(-3).sizes() == std::vector<std::int64_t>{0});
  CHECK(m.diag(std::numeric_limits<std::int64_t>::max()).sizes() == std::vector<std::int64_t>{0});
}

TEST_CASE("diag: gradients flow to the diagonal's elements only") {
  auto m = tg::zeros({2, 3}, tg::TensorOptions().dtype(tg::kDouble).requires_grad(true));
  (m.diag(1) * tg::tensor({2.0, 3.0}, tg::kDouble)).sum().backward();
  CHECK(tgtest::allclose(as_double(m.grad()), Array<double>{{0, 2, 0}, {0, 0, 3}}));
  auto v = tgtest::rand_var({3}, 41), w = tgtest::rand_var({4, 3}, 42);
  CHECK_GRADCHECK([](const std::vector<tg::Variable<double>>& in) {
    return tg::diag(tg::Tensor(in[0]), 1).variable<double>();
  }, {v});
  CHECK_GRADCHECK([](const std::vector<tg::Variable<double>>& in) {
    return tg::diag(tg::Tensor(in[0]), -1).variable<double>();
  }, {w});
}

TEST_CASE("diag: other ranks, and a matrix too large to count, throw") {
  CHECK(tgtest::contains(tgtest::error_of([] { tg::ones({2, 2, 2}).diag(); }),
                         "diag: expected a 1-D or 2-D tensor, got shape (2, 2, 2)"));
  CHECK(tgtest::contains(tgtest::error_of([] { tg::ones({}).diag(); }), "diag: expected a 1-D or 2-D tensor"));
  CHECK(tgtest::contains(tgtest::error_of([] { tg::ones({2}).diag(std::int64_t{1} << 62); }),
                         "diag: the matrix of 2 elements on diagonal 4611686018427387904 would have more elements "
                         "than an int64 counts"));
}
