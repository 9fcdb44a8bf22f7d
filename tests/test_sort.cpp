// sort, argsort and topk: against a naive rank count over every dim, torch's order (NaN, ties),
// gradients to the picked positions, integer tensors, errors.
#include "check.hpp"

#include <array>
#include <cmath>
#include <random>

using tg::Array;
using tg::Tensor;
using tg::Variable;
using tgtest::contains;
using tgtest::error_of;
using V = std::vector<Variable<double>>;

namespace {

// A (2, 3, 4) array of small integers as doubles: many ties.
Array<double> tied_values(unsigned seed) {
  std::mt19937 eng(seed);
  std::uniform_int_distribution<int> pick(0, 3);
  Array<double> a = Array<double>::from_shape({2, 3, 4});
  for (double& v : a) v = pick(eng);
  return a;
}

}  // namespace

TEST_CASE("sort and topk over each dim agree with a naive stable rank count") {
  const Array<double> x = tied_values(61);
  const std::array<std::size_t, 3> sizes{2, 3, 4};
  for (bool descending : {false, true})
    for (std::size_t d = 0; d < 3; ++d) {
      CAPTURE(descending);
      CAPTURE(d);
      const auto dim = static_cast<std::ptrdiff_t>(d);
      const auto sorted = tg::sort(Variable<double>(x), dim, descending);
      const auto top = tg::topk(Variable<double>(x), 2, dim, /*largest=*/descending);
      CHECK(top.indices.shape()[d] == 2);
      CHECK(tg::argsort(Variable<double>(x), dim, descending) == sorted.indices);
      // Element idx goes to rank #(values before it) + #(equal values at earlier positions).
      for (std::size_t i = 0; i < 2; ++i)
        for (std::size_t j = 0; j < 3; ++j)
          for (std::size_t k = 0; k < 4; ++k) {
            const std::array<std::size_t, 3> idx{i, j, k};
            const double v = x.element(idx.begin(), idx.end());
            std::size_t rank = 0;
            auto t = idx;
            for (t[d] = 0; t[d] < sizes[d]; ++t[d]) {
              const double u = x.element(t.begin(), t.end());
              rank += (descending ? u > v : u < v) || (u == v && t[d] < idx[d]);
            }
            auto r = idx;
            r[d] = rank;
            CHECK(sorted.values.value().element(r.begin(), r.end()) == v);
            CHECK(sorted.indices.element(r.begin(), r.end()) == static_cast<std::int64_t>(idx[d]));
            if (rank < 2) {
              CHECK(top.values.value().element(r.begin(), r.end()) == v);
              CHECK(top.indices.element(r.begin(), r.end()) == static_cast<std::int64_t>(idx[d]));
            }
          }
    }
}

TEST_CASE("sort and topk agree with torch on NaN and ties") {
  // Expected from /usr/bin/python3 with torch 1.13: torch.sort(x, 1), torch.sort(x, 1, descending=True),
  // torch.topk(x, 2, 1). torch's topk order among equal values is unspecified, so the rows here have
  // no tie among the picked values.
  const Variable<double> x(Array<double>{{3, 1, 2, 1}, {NAN, 0, -1, 0}});
  const auto up = tg::sort(x, 1);
  CHECK(up.indices == tg::Labels{{1, 3, 2, 0}, {2, 1, 3, 0}});
  CHECK(xt::all(xt::isclose(up.values.value(), Array<double>{{1, 1, 2, 3}, {-1, 0, 0, NAN}}, 0.0, 0.0, true)));
  const auto down = tg::sort(x, 1, true);
  CHECK(down.indices == tg::Labels{{0, 2, 1, 3}, {0, 1, 3, 2}});
  const auto top = tg::topk(x, 2, 1);
  CHECK(top.indices == tg::Labels{{0, 2}, {0, 1}});
  CHECK(xt::all(xt::isclose(top.values.value(), Array<double>{{3, 2}, {NAN, 0}}, 0.0, 0.0, true)));
  // torch.topk([[5, 1, 4], [0, 9, 2]], 2, 0) and its smallest 1 along dim 1.
  const Variable<double> y(Array<double>{{5, 1, 4}, {0, 9, 2}});
  CHECK(tg::topk(y, 2, 0).indices == tg::Labels{{0, 1, 0}, {1, 0, 1}});
  CHECK(tg::topk(y, 1, 1, false).values.value() == tgtest::column(Array<double>{1, 0}));
  // A 0-d tensor sorts to itself, and gives it for k = 0 or 1 (as torch).
  const Variable<double> s(Array<double>(3.0));
  CHECK(tg::sort(s).values.item() == 3.0);
  CHECK(tg::topk(s, 0).indices() == 0);
}

TEST_CASE("sort and topk: the values' gradient goes to the picked positions, gradchecks") {
  Variable<double> x(Array<double>{{0.5, -1, 2}, {3, 0.25, -2}}, true);
  const auto top = tg::topk(x, 2, 1);
  top.values.backward(Array<double>{{10, 20}, {30, 40}});
  CHECK(x.grad() == Array<double>{{20, 0, 10}, {30, 40, 0}});
  const auto in = tgtest::rand_var({2, 3, 4}, 62);
  for (std::ptrdiff_t d : {0, 1, -1}) {
    CAPTURE(d);
    CHECK_GRADCHECK([d](const V& v) { return tg::sort(v[0], d).values; }, {in});
    CHECK_GRADCHECK([d](const V& v) { return tg::sort(v[0], d, true).values; }, {in});
    CHECK_GRADCHECK([d](const V& v) { return tg::topk(v[0], 2, d).values; }, {in});
    CHECK_GRADCHECK([d](const V& v) { return tg::topk(v[0], 1, d, false).values; }, {in});
  }
}

TEST_CASE("sort, argsort and topk at Tensor level: tuples, Long indices, integer tensors, errors") {
  const Tensor l = tg::tensor({3, 1, 2});
  const auto sorted = l.sort();
  const Tensor values = std::get<0>(sorted), indices = std::get<1>(sorted);
  CHECK(values.scalar_type() == tg::kLong);
  CHECK(values.value<std::int64_t>() == tg::Labels{1, 2, 3});
  CHECK(indices.value<std::int64_t>() == tg::Labels{1, 2, 0});
  CHECK(tg::argsort(l, 0, true).value<std::int64_t>() == tg::Labels{0, 2, 1});
  // torch.sort([True, False, True]): indices [1, 0, 2].
  CHECK(std::get<1>(tg::sort(tg::tensor({true, false, true}))).value<std::int64_t>() == tg::Labels{1, 0, 2});
  const Tensor f = tg::tensor({{0.5, -1.0, 2.0}});
  const auto top = f.topk(2);
  CHECK(std::get<0>(top).scalar_type() == tg::kFloat);
  CHECK(std::get<1>(top).scalar_type() == tg::kLong);
  CHECK(std::get<1>(top).value<std::int64_t>() == tg::Labels{{2, 0}});
  CHECK(std::get<0>(tg::topk(f, 0, 1)).sizes() == tg::IntArrayRef({1, 0}));
  const auto r = tg::autograd::gradcheck(
      [](const std::vector<Tensor>& in) { return std::get<0>(in[0].sort(0, true)) + std::get<0>(in[0].topk(2, 0)).sum(); },
      {Tensor(tgtest::rand_var({2, 3}, 63))});
  CHECK_MESSAGE(r.ok, r.message);

  const Tensor x = tg::ones({2, 3});
  CHECK(contains(error_of([&] { (void)x.topk(4); }), "topk: k 4 is larger than dim -1 of size 3 in shape (2, 3)"));
  CHECK(contains(error_of([&] { (void)x.topk(-1); }), "topk: k -1 is negative"));
  CHECK(contains(error_of([&] { (void)x.sort(2); }), "sort: dim 2 is out of range for a tensor of rank 2"));
  CHECK(contains(error_of([&] { (void)x.argsort(-3); }), "argsort: dim -3 is out of range"));
  CHECK(contains(error_of([&] { (void)l.topk(1, 1); }), "topk: dim 1 is out of range for a tensor of rank 1"));
}
