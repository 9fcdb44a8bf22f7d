// flip and repeat: values against torch's, gradients, integer tensors, errors.
#include "check.hpp"

#include <xtensor/xbuilder.hpp>

using tg::Array;
using tg::Tensor;
using tg::Variable;
using tgtest::contains;
using tgtest::error_of;
using V = std::vector<Variable<double>>;

TEST_CASE("flip reverses the named dims, as torch.flip") {
  Array<double> v = xt::arange<double>(6.0);
  v.reshape({2, 3});
  const Variable<double> x(v);
  CHECK(tg::flip(x, {0, 1}).value() == Array<double>{{5, 4, 3}, {2, 1, 0}});
  CHECK(tg::flip(x, {-1}).value() == Array<double>{{2, 1, 0}, {5, 4, 3}});
  CHECK(tg::flip(x, {0}).value() == Array<double>{{3, 4, 5}, {0, 1, 2}});
  CHECK(tg::flip(x, {}).value() == v);
  CHECK(tg::flip(Variable<double>(Array<double>(3.0)), {0}).item() == 3.0);  // 0-d: dim 0 or -1, as torch
  Array<double> w = xt::arange<double>(24.0);
  w.reshape({2, 3, 4});
  const Array<double> f = tg::flip(Variable<double>(w), {0, 2}).value();
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t j = 0; j < 3; ++j)
      for (std::size_t k = 0; k < 4; ++k) CHECK(f(i, j, k) == w(1 - i, j, 3 - k));
  CHECK_GRADCHECK([](const V& in) { return tg::flip(in[0], {0, 2}) * in[0]; }, {tgtest::rand_var({2, 3, 4}, 41)});
}

TEST_CASE("repeat tiles x along every dim and new leading ones, as torch's repeat") {
  const Variable<double> x(Array<double>{{0, 1, 2}, {3, 4, 5}});
  // torch.arange(6.).reshape(2, 3).repeat(2, 1, 2), from /usr/bin/python3 with torch 1.13.
  const Array<double> expected{{{0, 1, 2, 0, 1, 2}, {3, 4, 5, 3, 4, 5}}, {{0, 1, 2, 0, 1, 2}, {3, 4, 5, 3, 4, 5}}};
  CHECK(tg::repeat(x, {2, 1, 2}).value() == expected);
  CHECK(tg::repeat(x, {1, 1}).value() == x.value());
  CHECK(tg::repeat(x, {0, 2}).shape() == tg::Shape{0, 6});
  CHECK(tg::repeat(Variable<double>(Array<double>(2.0)), {3}).value() == Array<double>{2, 2, 2});
  CHECK_GRADCHECK([](const V& in) { return tg::repeat(in[0], {2, 1, 3}); }, {tgtest::rand_var({2, 3}, 42)});
  CHECK_GRADCHECK([](const V& in) { return tg::repeat(in[0], {2, 2}); }, {tgtest::rand_var({3}, 43)});
}

TEST_CASE("flip and repeat at Tensor level: methods, integer tensors, errors") {
  const Tensor l = tg::tensor({{1, 2}, {3, 4}});
  CHECK(l.flip({1}).value<std::int64_t>() == tg::Labels{{2, 1}, {4, 3}});
  CHECK(tg::repeat(l, {1, 2}).value<std::int64_t>() == tg::Labels{{1, 2, 1, 2}, {3, 4, 3, 4}});
  CHECK(tg::tensor({true, false}).repeat({2}).scalar_type() == tg::kBool);
  const auto r = tg::autograd::gradcheck(
      [](const std::vector<Tensor>& in) { return in[0].flip({0}).repeat({2, 1}); }, {Tensor(tgtest::rand_var({2, 3}, 44))});
  CHECK_MESSAGE(r.ok, r.message);

  const Tensor x = tg::ones({2, 3});
  CHECK(contains(error_of([&] { (void)x.flip({2}); }), "flip: dim 2 is out of range for a tensor of rank 2"));
  CHECK(contains(error_of([&] { (void)x.flip({0, -2}); }), "flip: dims (0, -2) name dim 0 more than once"));
  CHECK(contains(error_of([&] { (void)x.repeat({2}); }),
                 "repeat: sizes (2,) are fewer than the 2 dims of a tensor of shape (2, 3)"));
  CHECK(contains(error_of([&] { (void)x.repeat({1, -1}); }), "repeat: sizes (1, -1) hold a negative size"));
}
