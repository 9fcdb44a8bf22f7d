// roll (ops/tensor_ops.hpp): torch's documented examples, shifts beyond the size, the gradient rolled
// back, and bad input.
#include "check.hpp"

using tg::Array;

using tgtest::as_double;

TEST_CASE("roll: torch's examples, flattened and along dims") {
  const auto x = tg::arange(1, 9).view({4, 2});  // Long 1..8
  CHECK(tgtest::allclose(as_double(x.roll({1})), Array<double>{{8, 1}, {2, 3}, {4, 5}, {6, 7}}));
  CHECK(tgtest::allclose(as_double(tg::roll(x, {1}, {0})), Array<double>{{7, 8}, {1, 2}, {3, 4}, {5, 6}}));
  CHECK(tgtest::allclose(as_double(x.roll({-1}, {0})), Array<double>{{3, 4}, {5, 6}, {7, 8}, {1, 2}}));
  CHECK(tgtest::allclose(as_double(x.roll({2, 1}, {0, 1})), Array<double>{{6, 5}, {8, 7}, {2, 1}, {4, 3}}));
  CHECK(x.roll({1}).scalar_type() == tg::kLong);
  // A shift of the size or more wraps around; a whole turn is a copy, never x itself.
  CHECK(tgtest::allclose(as_double(x.roll({9}, {-2})), Array<double>{{7, 8}, {1, 2}, {3, 4}, {5, 6}}));
  auto same = x.roll({4}, {0});
  CHECK_FALSE(same.is_same(x));
  same.fill_(0);
  CHECK(x.sum().item<std::int64_t>() == 36);
  CHECK(tg::zeros({0, 3}).roll({1}, {0}).sizes() == std::vector<std::int64_t>{0, 3});
}

TEST_CASE("roll: the gradient is the output's gradient rolled back") {
  auto x = tg::zeros({3, 2}, tg::TensorOptions().dtype(tg::kDouble).requires_grad(true));
  const auto w = tg::arange(6, tg::kDouble).view({3, 2});
  (x.roll({1}, {0}) * w).sum().backward();
  CHECK(tgtest::allclose(as_double(x.grad()), as_double(w.roll({-1}, {0}))));
  auto v = tgtest::rand_var({3, 4}, 31);
  CHECK_GRADCHECK([](const std::vector<tg::Variable<double>>& in) {
    return tg::roll(tg::Tensor(in[0]), {1, -3}, {0, 1}).variable<double>();
  }, {v});
  CHECK_GRADCHECK([](const std::vector<tg::Variable<double>>& in) {
    return tg::roll(tg::Tensor(in[0]), {5}).variable<double>();
  }, {v});
}

TEST_CASE("roll: shifts that do not match the dims, and a dim out of range, throw") {
  const auto x = tg::ones({2, 3});
  CHECK(tgtest::contains(tgtest::error_of([&] { x.roll({1, 2}); }),
                         "roll: without dims, expected one shift (the flattened tensor is rolled), got 2"));
  CHECK(tgtest::contains(tgtest::error_of([&] { x.roll({1}, {0, 1}); }),
                         "roll: expected one shift per dim, got 1 shifts and 2 dims"));
  CHECK(tgtest::contains(tgtest::error_of([&] { x.roll({1}, {2}); }), "roll"));
}
