// maximum and minimum: broadcasting, NaN, the tie convention of torch's gradient, integer dtypes.
#include "check.hpp"

#include <cmath>

using tg::Array;
using tg::Tensor;
using tg::Variable;
using tgtest::contains;
using tgtest::error_of;

TEST_CASE("maximum and minimum: broadcast values and gradients agree with torch, ties split in halves") {
  // Expected values from /usr/bin/python3 with torch 1.13: torch.maximum(a, b).backward(g) and the same
  // for minimum, a = [[1, 2, 3], [4, 0, -1]], b = [2, 2, nan], g = [[1, 2, 3], [4, 5, 6]], float64.
  const Array<double> g{{1, 2, 3}, {4, 5, 6}};
  for (bool larger : {true, false}) {
    CAPTURE(larger);
    Variable<double> a(Array<double>{{1, 2, 3}, {4, 0, -1}}, true);
    Variable<double> b(Array<double>{2, 2, NAN}, true);
    const Variable<double> m = larger ? tg::maximum(a, b) : tg::minimum(a, b);
    const Array<double> expected = larger ? Array<double>{{2, 2, NAN}, {4, 2, NAN}} : Array<double>{{1, 2, NAN}, {2, 0, NAN}};
    CHECK(xt::all(xt::isclose(m.value(), expected, 1e-12, 0.0, /*equal_nan=*/true)));
    m.backward(g);
    CHECK(a.grad() == (larger ? Array<double>{{0, 1, 3}, {4, 0, 6}} : Array<double>{{1, 1, 3}, {0, 5, 6}}));
    CHECK(b.grad() == (larger ? Array<double>{1, 6, 9} : Array<double>{4, 1, 9}));
  }
}

TEST_CASE("maximum and minimum: gradchecks with broadcasting, in float64") {
  auto a = tgtest::rand_var({2, 3}, 31);
  auto b = tgtest::rand_var({3}, 32);
  auto c = tgtest::rand_var({2, 1}, 33);
  using V = std::vector<Variable<double>>;
  CHECK_GRADCHECK([](const V& in) { return tg::maximum(in[0], in[1]); }, {a, b});
  CHECK_GRADCHECK([](const V& in) { return tg::minimum(in[0], in[1]); }, {a, b});
  CHECK_GRADCHECK([](const V& in) { return tg::maximum(in[1], in[0]); }, {c, b});
  CHECK_GRADCHECK([](const V& in) { return tg::minimum(in[0], in[1]); }, {c, b});
}

TEST_CASE("maximum and minimum at Tensor level: methods, dtype promotion, errors") {
  const Tensor l = tg::tensor({1, 5}), r = tg::tensor({3, 2});
  CHECK(tg::maximum(l, r).scalar_type() == tg::kLong);
  CHECK(tg::maximum(l, r).value<std::int64_t>() == tg::Labels{3, 5});
  CHECK(l.minimum(r).value<std::int64_t>() == tg::Labels{1, 2});
  CHECK(tg::maximum(l, r.to(tg::kFloat)).scalar_type() == tg::kFloat);
  CHECK(tg::maximum(tg::tensor({true, false}), tg::tensor({false, false})).scalar_type() == tg::kBool);
  CHECK(tg::maximum(tg::ones({2}), tg::ones({2}, tg::kDouble)).scalar_type() == tg::kDouble);
  CHECK(contains(error_of([] { (void)tg::maximum(tg::ones({2, 3}), tg::ones({2})); }), "maximum"));
  CHECK(contains(error_of([] { (void)tg::minimum(tg::tensor({1, 2}), tg::tensor({1, 2, 3})); }), "minimum"));
  CHECK(contains(error_of([] { (void)tg::maximum(tg::ones({2, 3}), tg::ones({2})); }), "(2, 3)"));
  const auto res = tg::autograd::gradcheck([](const std::vector<Tensor>& in) { return in[0].maximum(in[1]) - in[1].minimum(in[0]); },
                                           {Tensor(tgtest::rand_var({2, 3}, 34)), Tensor(tgtest::rand_var({3}, 35))});
  CHECK_MESSAGE(res.ok, res.message);
}
