// tril and triu (ops/tensor_ops.hpp): torch's diagonals, batches of matrices, integer and Bool
// tensors (the causal mask), gradients, and bad input.
#include "check.hpp"

using tg::Array;

using tgtest::as_double;

TEST_CASE("tril, triu: the triangles of the last two dims, any diagonal") {
  const auto x = tg::arange(1, 13).reshape({3, 4}).to(tg::kFloat);  // 1..12
  CHECK(tgtest::allclose(as_double(x.tril()), Array<double>{{1, 0, 0, 0}, {5, 6, 0, 0}, {9, 10, 11, 0}}));
  CHECK(tgtest::allclose(as_double(x.triu()), Array<double>{{1, 2, 3, 4}, {0, 6, 7, 8}, {0, 0, 11, 12}}));
  CHECK(tgtest::allclose(as_double(tg::tril(x, 1)), Array<double>{{1, 2, 0, 0}, {5, 6, 7, 0}, {9, 10, 11, 12}}));
  CHECK(tgtest::allclose(as_double(tg::triu(x, -1)), Array<double>{{1, 2, 3, 4}, {5, 6, 7, 8}, {0, 10, 11, 12}}));
  CHECK(tgtest::allclose(as_double(x.triu(5)), Array<double>{{0, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}}));
  // A batch: every matrix alike.
  const auto b = tg::ones({2, 2, 2}).tril();
  CHECK(tgtest::allclose(as_double(b), Array<double>{{{1, 0}, {1, 1}}, {{1, 0}, {1, 1}}}));
  // The causal mask of attention, in Bool, and a Long triangle in place.
  const auto mask = tg::ones({3, 3}, tg::kBool).triu(1);
  CHECK(mask.scalar_type() == tg::kBool);
  CHECK(tgtest::allclose(as_double(mask), Array<double>{{0, 1, 1}, {0, 0, 1}, {0, 0, 0}}));
  auto l = tg::ones({2, 3}, tg::kLong);
  l.tril_();
  CHECK(tgtest::allclose(as_double(l), Array<double>{{1, 0, 0}, {1, 1, 0}}));
}

TEST_CASE("tril, triu: the gradient passes through the kept triangle only") {
  auto x = tg::randn({2, 3, 3}, tg::TensorOptions().dtype(tg::kDouble).requires_grad(true));
  (x.triu(1) * 3).sum().backward();
  CHECK(tgtest::allclose(as_double(x.grad()), Array<double>{{{0, 3, 3}, {0, 0, 3}, {0, 0, 0}},
                                                            {{0, 3, 3}, {0, 0, 3}, {0, 0, 0}}}));
  auto v = tgtest::rand_var({3, 4}, 21);
  CHECK_GRADCHECK([](const std::vector<tg::Variable<double>>& in) {
    return tg::tril(tg::Tensor(in[0]), -1).variable<double>();
  }, {v});
}

TEST_CASE("tril, triu: fewer than 2 dims, and a leaf that requires grad in place, throw") {
  CHECK(tgtest::contains(tgtest::error_of([] { tg::ones({3}).tril(); }),
                         "tril: expected a tensor of at least 2 dims, got shape (3,)"));
  auto w = tg::ones({2, 2}, tg::requires_grad());
  CHECK(tgtest::contains(tgtest::error_of([&] { w.triu_(); }), "triu_: in-place op on a leaf that requires grad"));
}
