// scatter and scatter_add (ops/shape.hpp, Tensor-level in ops/tensor_ops.hpp): torch's documented
// examples, repeated targets, the integer path, gradchecks, and bad input.
#include "check.hpp"

using tg::Array;
using tg::Labels;
using tg::Variable;
using tgtest::rand_var;
using V = std::vector<Variable<double>>;

using tgtest::as_double;

TEST_CASE("scatter: torch's examples, a src larger than index read only where index is") {
  const auto src = tg::arange(1, 11).reshape({2, 5});  // Long, as in torch's documentation
  const auto out0 = tg::zeros({3, 5}, tg::kLong).scatter_(0, tg::tensor({{0, 1, 2, 0}}), src);
  CHECK(out0.scalar_type() == tg::kLong);
  CHECK(tgtest::allclose(as_double(out0), Array<double>{{1, 0, 0, 4, 0}, {0, 2, 0, 0, 0}, {0, 0, 3, 0, 0}}));
  const auto out1 = tg::zeros({3, 5}, tg::kLong).scatter(1, tg::tensor({{0, 1, 2}, {0, 1, 4}}), src);
  CHECK(tgtest::allclose(as_double(out1), Array<double>{{1, 2, 3, 0, 0}, {6, 7, 0, 0, 8}, {0, 0, 0, 0, 0}}));

  // The same in Float, and one value at every target.
  const auto f = tg::zeros({3, 5}).scatter(1, tg::tensor({{0, 1, 2}, {0, 1, 4}}), src.to(tg::kFloat));
  CHECK(f.scalar_type() == tg::kFloat);
  CHECK(tgtest::allclose(as_double(f), as_double(out1)));
  const auto v = tg::full({2, 4}, 2.0).scatter(1, tg::tensor({{2}, {3}}), 1.5);
  CHECK(tgtest::allclose(as_double(v), Array<double>{{2, 2, 1.5, 2}, {2, 2, 2, 1.5}}));
  // The one-hot idiom, in place on a Long tensor.
  auto onehot = tg::zeros({3, 4}, tg::kLong);
  onehot.scatter_(1, tg::tensor({{2}, {0}, {3}}), 1);
  CHECK(tgtest::allclose(as_double(onehot), Array<double>{{0, 0, 1, 0}, {1, 0, 0, 0}, {0, 0, 0, 1}}));
  // Bool tensors take scatter too.
  const auto mask = tg::zeros({2, 3}, tg::kBool).scatter(1, tg::tensor({{1}, {2}}), true);
  CHECK(tgtest::allclose(as_double(mask), Array<double>{{0, 1, 0}, {0, 0, 1}}));
}

TEST_CASE("scatter_add: torch's examples, repeated targets summed") {
  const auto src = tg::ones({2, 5});
  const auto a = tg::zeros({3, 5}).scatter_add(0, tg::tensor({{0, 1, 2, 0, 0}}), src);
  CHECK(tgtest::allclose(as_double(a), Array<double>{{1, 0, 0, 1, 1}, {0, 1, 0, 0, 0}, {0, 0, 1, 0, 0}}));
  auto b = tg::zeros({3, 5});
  b.scatter_add_(0, tg::tensor({{0, 1, 2, 0, 0}, {0, 1, 2, 2, 2}}), src);
  CHECK(tgtest::allclose(as_double(b), Array<double>{{2, 0, 0, 1, 1}, {0, 2, 0, 0, 0}, {0, 0, 2, 1, 1}}));
  // Long counts: a histogram of labels.
  const auto counts = tg::zeros({4}, tg::kLong).scatter_add(0, tg::tensor({3, 1, 3, 3}), tg::ones({4}, tg::kLong));
  CHECK(tgtest::allclose(as_double(counts), Array<double>{0, 1, 0, 3}));
}

TEST_CASE("scatter: a repeated target keeps the last write along dim, as LibTorch on the CPU") {
  const auto out = tg::zeros({2, 3}).scatter(1, tg::tensor({{1, 1, 1}, {0, 2, 0}}),
                                             tg::tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}}).to(tg::kFloat));
  CHECK(tgtest::allclose(as_double(out), Array<double>{{0, 3, 0}, {6, 0, 5}}));
}

TEST_CASE("scatter, scatter_add: gradients of x and src, against gradcheck and by hand") {
  // scatter's src gradient is the gathered one, as LibTorch's: right only where targets are unique
  // (an overwritten element of src still gets its target's gradient), so its gradchecks repeat none.
  auto x = rand_var({3, 4}, 11), src = rand_var({2, 4}, 12);
  const Labels rows{{0, 2, 1, 0}, {2, 1, 0, 1}}, repeated{{0, 2, 1, 0}, {2, 2, 0, 1}};
  CHECK_GRADCHECK([&](const V& in) { return tg::scatter(in[0], 0, rows, in[1], false); }, {x, src});
  CHECK_GRADCHECK([&](const V& in) { return tg::scatter(in[0], 0, repeated, in[1], true); }, {x, src});
  CHECK_GRADCHECK([](const V& in) { return tg::scatter(in[0], -1, tgtest::column(Labels{3, 0, 1}), 2.0); }, {x});
  auto y = rand_var({2, 3, 4}, 13), s3 = rand_var({2, 2, 4}, 14);
  const Labels mid{{{2, 0, 1, 1}, {0, 1, 2, 0}}, {{1, 1, 0, 1}, {2, 0, 1, 2}}};
  const Labels mid_repeated{{{2, 0, 1, 1}, {0, 0, 2, 1}}, {{1, 1, 1, 1}, {2, 0, 0, 2}}};
  CHECK_GRADCHECK([&](const V& in) { return tg::scatter(in[0], 1, mid, in[1], false); }, {y, s3});
  CHECK_GRADCHECK([&](const V& in) { return tg::scatter(in[0], 1, mid_repeated, in[1], true); }, {y, s3});

  // By hand: x's gradient is zero where scatter wrote, src's is the upstream gradient gathered.
  Variable<double> a(Array<double>{{1, 2, 3}}, true), b(Array<double>{{10, 20}}, true);
  auto out = tg::scatter(a, 1, Labels{{2, 0}}, b, false);
  CHECK(tgtest::allclose(out.value(), Array<double>{{20, 2, 10}}));
  out.backward(Array<double>{{1, 2, 3}});
  CHECK(tgtest::allclose(a.grad(), Array<double>{{0, 2, 0}}));
  CHECK(tgtest::allclose(b.grad(), Array<double>{{3, 1}}));
  CHECK(std::string(tg::Tensor(out).grad_fn()->name()) == "ScatterBackward0");

  // Tensor level: a src larger than index gets gradient only where index read it.
  auto big = tg::ones({2, 3}, tg::requires_grad());
  tg::zeros({2, 2}).scatter_add(1, tg::tensor({{1}, {0}}), big).sum().backward();
  CHECK(tgtest::allclose(as_double(big.grad()), Array<double>{{1, 0, 0}, {1, 0, 0}}));
}

TEST_CASE("scatter: bad input throws naming the op and the shapes") {
  const auto x = tg::zeros({2, 3});
  CHECK(tgtest::contains(tgtest::error_of([&] { x.scatter(1, tg::tensor({{3}, {0}}), 1.0); }),
                         "scatter: index 3 at position (0, 0) is out of range for dim 1 of size 3"));
  CHECK(tgtest::contains(tgtest::error_of([&] { x.scatter(1, tg::tensor({1, 0}), 1.0); }),
                         "scatter: index of shape (2,) does not fit input of shape (2, 3) along dim 1"));
  CHECK(tgtest::contains(tgtest::error_of([&] { x.scatter(1, tg::tensor({{0, 1}}), tg::ones({1, 1})); }),
                         "scatter: index of shape (1, 2) does not fit src of shape (1, 1)"));
  CHECK(tgtest::contains(tgtest::error_of([&] { x.scatter(1, tg::tensor({{0}}), tg::ones({1, 1}, tg::kDouble)); }),
                         "scatter: expected src of the input's dtype Float, got Double"));
  CHECK(tgtest::contains(tgtest::error_of([&] { x.scatter_add(1, tg::zeros({1, 1}), tg::ones({1, 1})); }),
                         "scatter_add: expected index of dtype Long, got Float"));
  CHECK(tgtest::contains(
      tgtest::error_of([&] { tg::zeros({2}, tg::kBool).scatter_add(0, tg::tensor({1}), tg::ones({1}, tg::kBool)); }),
      "scatter_add: Bool tensors are not supported"));
  CHECK(tgtest::contains(tgtest::error_of([&] { x.scatter(2, tg::tensor({{0}}), 1.0); }), "scatter: dim 2"));

  // In place: a leaf that requires grad, or a src that does under grad mode, is refused.
  auto w = tg::zeros({2, 3}, tg::requires_grad());
  CHECK(tgtest::contains(tgtest::error_of([&] { w.scatter_(1, tg::tensor({{0}}), 1.0); }),
                         "scatter_: in-place op on a leaf that requires grad"));
  auto plain = tg::zeros({2, 3});
  CHECK(tgtest::contains(
      tgtest::error_of([&] { plain.scatter_add_(1, tg::tensor({{0}}), tg::ones({1, 1}, tg::requires_grad())); }),
      "scatter_add_: src requires grad"));
}

TEST_CASE("index_add: slices added at the index along dim, repeats summed, alpha, gradients") {
  // torch's documented example: x.index_add_(0, index, t) with index [0, 4, 2], t rows 1..3
  auto x = tg::ones({5, 3});
  const auto t = tg::arange(1, 10).reshape({3, 3}).to(tg::kFloat);
  x.index_add_(0, tg::tensor({0, 4, 2}), t);
  CHECK(tgtest::allclose(as_double(x), Array<double>{{2, 3, 4}, {1, 1, 1}, {8, 9, 10}, {1, 1, 1}, {5, 6, 7}}));
  const auto cols = tg::zeros({2, 3}).index_add(1, tg::tensor({2, 2, 0}), tg::ones({2, 3}), 0.5);
  CHECK(tgtest::allclose(as_double(cols), Array<double>{{0.5, 0, 1}, {0.5, 0, 1}}));
  const auto counts = tg::zeros({3}, tg::kLong).index_add(0, tg::tensor({1, 1, 2}), tg::ones({3}, tg::kLong));
  CHECK(tgtest::allclose(as_double(counts), Array<double>{0, 2, 1}));

  // Gradients: x's is the upstream gradient, source's alpha times its rows at the index.
  auto a = tg::randn({4, 3}, tg::TensorOptions().dtype(tg::kDouble).requires_grad(true));
  auto s = tg::randn({2, 3}, tg::TensorOptions().dtype(tg::kDouble).requires_grad(true));
  auto up = tg::arange(12).reshape({4, 3}).to(tg::kDouble);
  (a.index_add(0, tg::tensor({3, 1}), s, 2.0) * up).sum().backward();
  CHECK(tgtest::allclose(as_double(a.grad()), as_double(up)));
  CHECK(tgtest::allclose(as_double(s.grad()), Array<double>{{18, 20, 22}, {6, 8, 10}}));
  auto xv = rand_var({4, 3}, 15), sv = rand_var({3, 3}, 16);
  CHECK_GRADCHECK([](const V& in) {
    return tg::index_add(tg::Tensor(in[0]), 0, tg::tensor({3, 1, 3}), tg::Tensor(in[1]), 2.0).variable<double>();
  }, {xv, sv});

  const auto y = tg::zeros({2, 3});
  CHECK(tgtest::contains(tgtest::error_of([&] { y.index_add(1, tg::tensor({0, 1}), tg::ones({2, 3})); }),
                         "index_add: expected source of shape (2, 2) (the input's (2, 3) with dim 1 the index's "
                         "length), got (2, 3)"));
  CHECK(tgtest::contains(tgtest::error_of([&] { y.index_add(0, tg::tensor({2}), tg::ones({1, 3})); }),
                         "index_add: index 2 at position 0 is out of range for dim 0 of size 2"));
  CHECK(tgtest::contains(tgtest::error_of([&] { y.index_add(0, tg::tensor({{0}}), tg::ones({1, 3})); }),
                         "index_add: expected a 1-D index, got shape (1, 1)"));
}
