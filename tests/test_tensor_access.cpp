// LibTorch's ways into a tensor's elements: accessor, from_blob, slice, nonzero, equal, toType and
// set_requires_grad.
#include "check.hpp"

using tg::Tensor;
using tgtest::contains;
using tgtest::error_of;

TEST_CASE("accessor reads and writes elements by a[i][j], its rank and dtype checked once") {
  Tensor t = tg::zeros({3, 4});
  auto a = t.accessor<float, 2>();
  CHECK(a.size(0) == 3);
  CHECK(a.stride(0) == 4);
  for (std::int64_t i = 0; i < 3; ++i) a[i][i + 1] = static_cast<float>(i + 1);
  CHECK(t[2][3].item<float>() == 3);
  CHECK(t.sum().item<float>() == 6);
  const Tensor labels = tg::arange(6).reshape({1, 2, 3});
  CHECK(labels.accessor<std::int64_t, 3>()[0][1][2] == 5);
  CHECK(contains(error_of([&] { t.accessor<float, 3>(); }), "accessor: expected a tensor of 3 dims, got shape (3, 4)"));
  CHECK_FALSE(error_of([&] { t.accessor<double, 2>(); }).empty());
}

TEST_CASE("from_blob copies the elements at a pointer, in the dtype the options give") {
  float floats[6] = {1, 2, 3, 4, 5, 6};
  const Tensor t = tg::from_blob(floats, {2, 3});
  CHECK(t.scalar_type() == tg::kFloat);
  CHECK(t[1][0].item<float>() == 4);
  floats[0] = 9;  // a copy: the tensor keeps its own
  CHECK(t[0][0].item<float>() == 1);
  std::int64_t longs[2] = {7, -1};
  CHECK(tg::from_blob(longs, {2}, tg::kLong).equal(tg::tensor({7, -1})));
  CHECK(tg::from_blob(nullptr, {0, 3}).numel() == 0);
  CHECK(contains(error_of([] { tg::from_blob(nullptr, {2}); }), "from_blob: data is null"));
}

TEST_CASE("slice, nonzero, equal, allclose, toType and set_requires_grad as LibTorch's") {
  const Tensor x = tg::arange(12).reshape({3, 4});
  CHECK(x.slice(1, 1, 3).equal(tg::tensor({{1, 2}, {5, 6}, {9, 10}})));
  CHECK(x.slice(0, -2).equal(x.narrow(0, 1, 2)));
  CHECK(x.slice(1, std::nullopt, std::nullopt, 2).equal(tg::tensor({{0, 2}, {4, 6}, {8, 10}})));
  CHECK(x.slice(-1, 0, 100).equal(x));
  CHECK(contains(error_of([&] { x.slice(2); }), "slice: dim 2 is out of range for shape (3, 4)"));

  const Tensor z = tg::tensor({{0.0, 1.5}, {std::nan(""), 0.0}});
  CHECK(z.nonzero().equal(tg::tensor({{0, 1}, {1, 0}})));
  CHECK(tg::zeros({2}).nonzero().sizes() == tg::IntArrayRef{0, 1});

  CHECK(x.equal(x.clone()));
  CHECK_FALSE(x.equal(x.reshape({4, 3})));
  CHECK(x.equal(x.to(tg::kDouble)));
  CHECK_FALSE(z.equal(z));  // NaN equals nothing
  CHECK(tg::allclose(x, x.to(tg::kDouble) + 1e-9));  // any dtypes, compared in double
  CHECK_FALSE(x.allclose(x + 1));
  CHECK(x.allclose(x + 1, 0, 1.0));
  CHECK(z.allclose(z, 1e-5, 1e-8, /*equal_nan=*/true));
  CHECK_FALSE(z.allclose(z));
  CHECK(tg::ones({2, 2}).allclose(tg::ones({2})));  // broadcast
  CHECK(tg::randn({3}).set_requires_grad(true).allclose(tg::zeros({3}), 0, 100));
  CHECK(contains(error_of([&] { tg::ones({2}).allclose(tg::ones({3})); }), "allclose: shapes (2,) and (3,) do not broadcast"));

  CHECK(x.toType(tg::kDouble).scalar_type() == tg::kDouble);
  Tensor w = tg::ones({2});
  CHECK(w.set_requires_grad(true).requires_grad());
}

TEST_CASE("masked_select as LibTorch's: row-major order, a broadcast mask, any dtype, errors named") {
  const Tensor x = tg::arange(6).reshape({2, 3});
  CHECK(x.masked_select(x > 2).equal(tg::tensor({3, 4, 5})));
  CHECK(x.masked_select(tg::tensor({true, false, true})).equal(tg::tensor({0, 2, 3, 5})));
  // a mask larger than x: x broadcasts too, as torch.masked_select(tensor([1., 2.]), ones(2, 2, dtype=bool))
  CHECK(tg::masked_select(tg::tensor({1.0, 2.0}), tg::ones({2, 2}, tg::kBool)).equal(tg::tensor({1.0, 2.0, 1.0, 2.0})));
  CHECK(x.masked_select(x > 9).sizes() == tg::IntArrayRef{0});
  Tensor w = tg::tensor({1.0, -2.0, 3.0}).set_requires_grad(true);
  w.masked_select(w > 0).sum().backward();
  CHECK(w.grad().equal(tg::tensor({1.0, 0.0, 1.0})));
  CHECK(contains(error_of([&] { x.masked_select(x); }), "masked_select: expected a Bool mask, got Long"));
  CHECK(contains(error_of([&] { x.masked_select(tg::ones({2}, tg::kBool)); }), "masked_select"));
}
