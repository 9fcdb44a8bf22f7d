// cumsum and prod: against naive loops over every dim, prod's gradient with zeros as torch's, dtypes, errors.
#include "check.hpp"

#include <array>
#include <xtensor/xbuilder.hpp>

using tg::Array;
using tg::Tensor;
using tg::Variable;
using tgtest::contains;
using tgtest::error_of;
using V = std::vector<Variable<double>>;

namespace {

// Every index (i, j, k) of a (2, 3, 4) array.
template <class F>
void for_each_index_234(F f) {
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t j = 0; j < 3; ++j)
      for (std::size_t k = 0; k < 4; ++k) f(std::array<std::size_t, 3>{i, j, k});
}

double element_at(const Array<double>& a, const std::array<std::size_t, 3>& idx) {
  return a.element(idx.begin(), idx.end());
}

}  // namespace

TEST_CASE("cumsum and prod over each dim of a 3-D input agree with naive loops") {
  const Variable<double> x = tgtest::rand_var({2, 3, 4}, 51, -2.0, 2.0, false);
  const Array<double>& xv = x.value();
  const std::array<std::size_t, 3> sizes{2, 3, 4};
  for (std::size_t d = 0; d < 3; ++d) {
    CAPTURE(d);
    const Array<double> c = tg::cumsum(x, static_cast<std::ptrdiff_t>(d)).value();
    const Array<double> p = tg::prod(x, static_cast<std::ptrdiff_t>(d), true).value();
    for_each_index_234([&](std::array<std::size_t, 3> idx) {
      double sum = 0, product = 1;
      auto t = idx;
      for (t[d] = 0; t[d] < sizes[d]; ++t[d]) {
        if (t[d] <= idx[d]) sum += element_at(xv, t);
        product *= element_at(xv, t);
      }
      CHECK(element_at(c, idx) == doctest::Approx(sum));
      idx[d] = 0;
      CHECK(p.element(idx.begin(), idx.end()) == doctest::Approx(product));
    });
  }
  CHECK(tg::prod(x, 1).shape() == tg::Shape{2, 4});
  CHECK(tg::prod(x).shape() == tg::Shape{});
  CHECK(tg::prod(x).item() == doctest::Approx(xt::prod(xv)()));
  CHECK(tg::cumsum(x, -1).value() == tg::cumsum(x, 2).value());
}

TEST_CASE("cumsum and prod gradchecks in float64, every dim") {
  const auto x = tgtest::rand_var({2, 3, 4}, 52, 0.5, 1.5);
  for (std::ptrdiff_t d : {0, 1, 2, -1}) {
    CAPTURE(d);
    CHECK_GRADCHECK([d](const V& in) { return tg::cumsum(in[0], d); }, {x});
    CHECK_GRADCHECK([d](const V& in) { return tg::prod(in[0], d); }, {x});
    CHECK_GRADCHECK([d](const V& in) { return tg::prod(in[0], d, true); }, {x});
  }
  CHECK_GRADCHECK([](const V& in) { return tg::prod(in[0]); }, {tgtest::rand_var({2, 3}, 53, 0.5, 1.5)});
  // With zeros: one in a slice, and two.
  Variable<double> z(Array<double>{{2, 0, 3}, {0, 0, 5}, {1, -2, 4}}, true);
  CHECK_GRADCHECK([](const V& in) { return tg::prod(in[0], 1); }, {z});
  CHECK_GRADCHECK([](const V& in) { return tg::prod(in[0], 0); }, {z});
}

TEST_CASE("prod's gradient where x holds zeros agrees with torch") {
  // Expected numbers from /usr/bin/python3 with torch 1.13, float64: torch.prod(p, 1).sum().backward(),
  // torch.prod(p, 0, keepdim=True).sum().backward() and torch.prod(q).backward().
  Variable<double> p(Array<double>{{2, 0, 3}, {0, 0, 5}, {1, 2, 4}}, true);
  tg::sum(tg::prod(p, 1)).backward();
  CHECK(p.grad() == Array<double>{{0, 6, 0}, {0, 0, 0}, {8, 4, 2}});
  p.zero_grad();
  tg::sum(tg::prod(p, 0, true)).backward();
  CHECK(p.grad() == Array<double>{{0, 0, 20}, {2, 0, 12}, {0, 0, 15}});
  Variable<double> q(Array<double>{{2, 0, 3}, {1, 2, 4}}, true);
  tg::prod(q).backward();
  CHECK(q.grad() == Array<double>{{0, 48, 0}, {0, 0, 0}});
}

TEST_CASE("cumsum and prod at Tensor level: Long results for integer input, dtype, 0-d, errors") {
  const Tensor l = tg::tensor({{1, 2}, {3, 4}});
  CHECK(l.cumsum(1).scalar_type() == tg::kLong);
  CHECK(l.cumsum(1).value<std::int64_t>() == tg::Labels{{1, 3}, {3, 7}});
  CHECK(tg::cumsum(l, 0, tg::kDouble).value<double>() == Array<double>{{1, 2}, {4, 6}});
  CHECK(tg::tensor({true, true}).cumsum(0).scalar_type() == tg::kLong);
  CHECK(l.prod().scalar_type() == tg::kLong);
  CHECK(l.prod().item<std::int64_t>() == 24);
  CHECK(l.prod(0).value<std::int64_t>() == tg::Labels{3, 8});
  CHECK(l.prod(1, true).value<std::int64_t>() == tgtest::column(tg::Labels{2, 12}));
  CHECK(l.prod(tg::kFloat).scalar_type() == tg::kFloat);
  CHECK(tg::tensor({true, false}).prod().scalar_type() == tg::kLong);
  const Tensor s = tg::full({}, 3.0);
  CHECK(s.cumsum(0).item<float>() == 3.0f);
  CHECK(s.prod(-1).item<float>() == 3.0f);
  const auto r = tg::autograd::gradcheck(
      [](const std::vector<Tensor>& in) { return in[0].cumsum(1).prod(0) + in[0].prod(); },
      {Tensor(tgtest::rand_var({2, 3}, 54, 0.5, 1.5))});
  CHECK_MESSAGE(r.ok, r.message);

  const Tensor x = tg::ones({2, 3});
  CHECK(contains(error_of([&] { (void)x.cumsum(2); }), "cumsum: dim 2 is out of range for a tensor of rank 2"));
  CHECK(contains(error_of([&] { (void)x.prod(-3); }), "prod: dim -3 is out of range for a tensor of rank 2"));
  CHECK(contains(error_of([&] { (void)l.prod(5); }), "prod: dim 5 is out of range"));
  CHECK(contains(error_of([&] { (void)s.cumsum(1); }), "cumsum: dim 1 is out of range"));
}
