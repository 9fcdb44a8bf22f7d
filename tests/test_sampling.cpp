// randperm, bernoulli and multinomial: what they draw (a permutation, 0s and 1s, category indices),
// their frequencies against the probabilities, repetition under manual_seed, and their errors.
#include <algorithm>

#include "check.hpp"

using tg::Tensor;
using tgtest::contains;
using tgtest::error_of;

TEST_CASE("randperm is a permutation of 0..n-1 that manual_seed repeats") {
  tg::manual_seed(3);
  const Tensor p = tg::randperm(50);
  CHECK(p.scalar_type() == tg::kLong);
  std::vector<std::int64_t> v(p.data_ptr<std::int64_t>(), p.data_ptr<std::int64_t>() + 50);
  std::sort(v.begin(), v.end());
  for (std::int64_t i = 0; i < 50; ++i) CHECK(v[static_cast<std::size_t>(i)] == i);
  tg::manual_seed(3);
  CHECK(tg::randperm(50).equal(p));
  CHECK(tg::randperm(0).numel() == 0);
  CHECK(tg::randperm(4, tg::kFloat).scalar_type() == tg::kFloat);
  CHECK(contains(error_of([] { tg::randperm(-1); }), "randperm: expected n >= 0"));
}

TEST_CASE("bernoulli draws 1 with each element's probability") {
  tg::manual_seed(4);
  const Tensor probs = tg::full({20000}, 0.3);
  const Tensor draws = tg::bernoulli(probs);
  CHECK(draws.scalar_type() == tg::kFloat);
  CHECK(draws.eq(0).sum().item<std::int64_t>() + draws.eq(1).sum().item<std::int64_t>() == 20000);
  CHECK(draws.mean().item<double>() == doctest::Approx(0.3).epsilon(0.05));
  CHECK(tg::bernoulli(tg::zeros({100})).sum().item<double>() == 0);
  CHECK(tg::bernoulli(tg::ones({100}, tg::kDouble)).sum().item<double>() == 100);
  CHECK(tg::bernoulli(tg::zeros({20000}, tg::kDouble), 0.8).mean().item<double>() == doctest::Approx(0.8).epsilon(0.02));
  CHECK(contains(error_of([] { tg::bernoulli(tg::full({2}, 1.5)); }), "bernoulli: expected probabilities in [0, 1], got 1.5"));
  CHECK(contains(error_of([] { tg::bernoulli(tg::zeros({2}), -0.1); }), "expected p in [0, 1]"));
}

TEST_CASE("multinomial draws categories by weight, each once without replacement") {
  tg::manual_seed(5);
  const Tensor w = tg::tensor({1.0, 0.0, 3.0});
  const Tensor draws = tg::multinomial(w, 20000, true);
  CHECK(draws.sizes() == tg::IntArrayRef{20000});
  CHECK(draws.eq(1).sum().item<std::int64_t>() == 0);  // a zero weight is never drawn
  CHECK(draws.eq(2).to(tg::kDouble).mean().item<double>() == doctest::Approx(0.75).epsilon(0.03));
  const Tensor rows = tg::multinomial(tg::ones({3, 5}), 5);  // each row a permutation of the 5
  CHECK(rows.sizes() == tg::IntArrayRef{3, 5});
  CHECK(rows.sum(1).eq(10).all().item<bool>());
  CHECK(std::get<0>(rows.sort(1)).equal(tg::arange(5).expand({3, 5})));
  CHECK(contains(error_of([&] { tg::multinomial(w, 3); }),
                 "cannot draw 3 samples without replacement from 2 categories of nonzero weight"));
  CHECK(contains(error_of([] { tg::multinomial(tg::tensor({-1.0, 2.0}), 1); }), "expected finite nonnegative weights"));
  CHECK(contains(error_of([] { tg::multinomial(tg::zeros({2, 2}), 1); }), "row 0 has no positive weight"));
}
