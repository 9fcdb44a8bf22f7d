// LibTorch's matmul of any ranks, bmm and addmm: against products of 2-D slices, float64 gradchecks,
// and their errors.
#include "check.hpp"

using tg::Tensor;
using tgtest::contains;
using tgtest::error_of;
using TV = std::vector<Tensor>;

namespace {

Tensor rand_t(const tg::Shape& shape, unsigned seed) { return tgtest::rand_var(shape, seed, -1, 1); }

void check_gradient(const tg::autograd::TensorGradcheckFn& fn, const TV& in) {
  const auto r = tg::autograd::gradcheck(fn, in);
  CHECK_MESSAGE(r.ok, r.message);
}

bool close(const Tensor& a, const Tensor& b) {
  return a.sizes() == b.sizes() && tgtest::allclose(a.value<double>(), b.value<double>(), 1e-12, 1e-12);
}

}  // namespace

TEST_CASE("matmul of every rank pairing agrees with 2-D products, as LibTorch's") {
  const Tensor v = rand_t({3}, 1), w = rand_t({3}, 2), m = rand_t({2, 3}, 3), n = rand_t({3, 4}, 4);
  CHECK(close(tg::matmul(v, w), (v * w).sum()));                            // dot: 0-d
  CHECK(close(tg::matmul(m, v), tg::mm(m, v.unsqueeze(1)).squeeze(1)));    // matrix-vector
  CHECK(close(tg::matmul(v, n), tg::mm(v.unsqueeze(0), n).squeeze(0)));    // vector-matrix
  const Tensor stack = rand_t({2, 5, 3}, 5);                                 // (2, 5, 3) @ (3, 4): rows folded
  const Tensor folded = tg::matmul(stack, n);
  REQUIRE(folded.sizes() == tg::IntArrayRef{2, 5, 4});
  for (std::int64_t i = 0; i < 2; ++i) CHECK(close(folded[i], tg::mm(stack[i], n)));
  const Tensor a = rand_t({2, 1, 5, 3}, 6), b = rand_t({4, 3, 2}, 7);       // batch dims broadcast
  const Tensor c = tg::matmul(a, b);
  REQUIRE(c.sizes() == tg::IntArrayRef{2, 4, 5, 2});
  for (std::int64_t i = 0; i < 2; ++i)
    for (std::int64_t j = 0; j < 4; ++j) CHECK(close(c[i][j], tg::mm(a[i][0], b[j])));
  CHECK(tg::matmul(v, b).sizes() == tg::IntArrayRef{4, 2});                 // vector @ stack
  CHECK(tg::matmul(b, tg::ones({2}, tg::kDouble)).sizes() == tg::IntArrayRef{4, 3});
  const Tensor bm = tg::bmm(rand_t({4, 2, 3}, 8), b);
  CHECK(close(bm[1], tg::mm(rand_t({4, 2, 3}, 8)[1], b[1])));
  CHECK(close(tg::addmm(v.narrow(0, 0, 2).unsqueeze(1), m, n, 0.5, 2.0), v.narrow(0, 0, 2).unsqueeze(1) * 0.5 + tg::mm(m, n) * 2.0));
  CHECK(close(m.addmm(m, tg::eye(3, tg::kDouble)), m * 2.0));
}

TEST_CASE("matmul, bmm and addmm: float64 gradchecks with broadcast batch dims") {
  check_gradient([](const TV& in) { return tg::matmul(in[0], in[1]); }, {rand_t({2, 1, 3, 2}, 9), rand_t({3, 2, 4}, 10)});
  check_gradient([](const TV& in) { return tg::matmul(in[0], in[1]); }, {rand_t({2, 3, 2}, 11), rand_t({2, 4}, 12)});
  check_gradient([](const TV& in) { return tg::matmul(in[0], in[1]); }, {rand_t({3}, 13), rand_t({2, 3, 4}, 14)});
  check_gradient([](const TV& in) { return tg::matmul(in[0], in[1]); }, {rand_t({3}, 15), rand_t({3}, 16)});
  check_gradient([](const TV& in) { return tg::bmm(in[0], in[1]); }, {rand_t({3, 2, 4}, 17), rand_t({3, 4, 2}, 18)});
  check_gradient([](const TV& in) { return tg::addmm(in[0], in[1], in[2], 0.5, -1.5); },
                 {rand_t({3}, 19), rand_t({2, 4}, 20), rand_t({4, 3}, 21)});
}

TEST_CASE("matmul and bmm name the shapes they cannot multiply") {
  CHECK(contains(error_of([] { tg::matmul(tg::ones({2, 3}), tg::ones({2, 3})); }),
                 "matmul: the inner sizes differ (3 and 2), got (2, 3) @ (2, 3)"));
  CHECK(contains(error_of([] { tg::matmul(tg::ones({2, 2, 3}), tg::ones({3, 3, 2})); }), "matmul"));
  CHECK(contains(error_of([] { tg::matmul(tg::ones({}), tg::ones({3})); }), "at least 1 dim"));
  CHECK(contains(error_of([] { tg::bmm(tg::ones({2, 2, 3}), tg::ones({3, 3, 2})); }),
                 "bmm: expected (B,M,K) @ (B,K,N), got (2, 2, 3) @ (3, 3, 2)"));
  CHECK(contains(error_of([] { tg::addmm(tg::ones({2}), tg::ones({2}), tg::ones({2, 2})); }), "addmm: expected 2-D"));
}
