// x.index({...}) and x.index_put_({...}, v): Python's x[...] with LibTorch's spelling (ops/indexing.hpp).
#include "check.hpp"

using tg::Array;
using tg::Tensor;
using tgtest::contains;
using tgtest::error_of;
using namespace tg::indexing;

namespace {

// 0, 1, ..., 11 as a (3, 4) Float tensor: x[i][j] = 4i + j.
Tensor grid() { return tg::arange(12.0).view({3, 4}); }

}  // namespace

TEST_CASE("index: integers, slices, None, Ellipsis and tensor indices, as Python's x[...]") {
  const Tensor x = grid();
  CHECK(x.index({0}).value<float>() == Array<float>{0, 1, 2, 3});
  CHECK(x.index({Slice(), 1}).value<float>() == Array<float>{1, 5, 9});                 // x[:, 1]
  CHECK(x.index({-1, -1}).item<float>() == 11.f);                                        // x[-1, -1]
  CHECK(x.index({Slice(1, None), Slice(None, None, 2)}).value<float>() == Array<float>{{4, 6}, {8, 10}});
  CHECK(x.index({Slice(-2), Slice(1, 3)}).value<float>() == Array<float>{{5, 6}, {9, 10}});  // x[-2:, 1:3]
  CHECK(x.index({Slice(2, 1)}).sizes() == tg::IntArrayRef{0, 4});                         // empty
  CHECK(x.index({Slice(-10, 10)}).sizes() == tg::IntArrayRef{3, 4});                      // clamped
  CHECK(x.index({None}).sizes() == tg::IntArrayRef{1, 3, 4});
  CHECK(x.index({Slice(), None, 2}).value<float>() == tg::tensor({{2.0}, {6.0}, {10.0}}).value<float>());
  CHECK(x.index({Ellipsis, 3}).value<float>() == Array<float>{3, 7, 11});                 // x[..., 3]
  CHECK(x.index({"...", 3}).value<float>() == Array<float>{3, 7, 11});
  CHECK(x.index({1, Ellipsis}).value<float>() == Array<float>{4, 5, 6, 7});
  CHECK(x.index({tg::tensor({2, 0})}).value<float>() == Array<float>{{8, 9, 10, 11}, {0, 1, 2, 3}});
  CHECK(x.index({Slice(), tg::tensor({true, false, false, true})}).value<float>() == Array<float>{{0, 3}, {4, 7}, {8, 11}});
  CHECK(x.index({}).value<float>() == x.value<float>());
  const Tensor l = tg::arange(6).view({2, 3});
  CHECK(l.index({Slice(), Slice(None, None, 2)}).value<std::int64_t>() == tg::Labels{{0, 2}, {3, 5}});
}

TEST_CASE("index: the gradient reaches the indexed elements, and a float64 gradcheck") {
  Tensor x = grid().requires_grad_();
  (x.index({Slice(None, None, 2), 1}) * 3).sum().backward();
  CHECK(x.grad().value<float>() == Array<float>{{0, 3, 0, 0}, {0, 0, 0, 0}, {0, 3, 0, 0}});
  const Tensor r = tgtest::rand_var({3, 4, 2}, 7);
  const auto result = tg::autograd::gradcheck(
      [](const std::vector<Tensor>& in) {
        return in[0].index({Slice(1), None, Ellipsis, 0}) * in[0].index({tg::tensor({2, 2, 0}), Slice(None, None, 3)}).sum();
      },
      {r});
  CHECK_MESSAGE(result.ok, result.message);
}

TEST_CASE("index: bad indices throw naming the index, the dim and the shape") {
  const Tensor x = grid();
  CHECK(contains(error_of([&] { (void)x.index({3}); }),
                 "index: index 3 is out of range for dim 0 of size 3 (expected -size <= index < size)"));
  CHECK(contains(error_of([&] { (void)x.index({0, -5}); }), "index: index -5 is out of range for dim 1 of size 4"));
  CHECK(contains(error_of([&] { (void)x.index({0, 0, 0}); }), "index: too many indices (3) for a tensor of shape (3, 4)"));
  CHECK(contains(error_of([&] { (void)x.index({Ellipsis, Ellipsis}); }), "index: expected at most one Ellipsis, got 2"));
  CHECK(contains(error_of([&] { (void)x.index({Slice(None, None, -1)}); }), "index: expected a slice step > 0, got -1"));
  CHECK(contains(error_of([&] { (void)x.index({tg::tensor({0}), tg::tensor({1})}); }),
                 "index: expected at most one tensor index, got 2"));
  CHECK(contains(error_of([&] { (void)x.index({tg::tensor({1.0})}); }), "index: expected a tensor index of dtype Long or Bool, got Float"));
  CHECK(contains(error_of([&] { (void)x.index({tg::tensor({true, false})}); }),
                 "index: a Bool mask of 2 elements for dim 0 of size 3"));
  CHECK(contains(error_of([&] { (void)x.index({".."}); }), "index: a string index must be \"...\""));
  CHECK(contains(error_of([&] { (void)x.index({tg::tensor({5})}); }), "index_select: index 5"));
}

TEST_CASE("index_put_: writes scalars and broadcast tensors in place, under the in-place rules") {
  Tensor x = grid();
  const float* buffer = x.data_ptr<float>();
  x.index_put_({Slice(), 0}, -1.0);                                   // x[:, 0] = -1
  x.index_put_({1}, tg::tensor({10.0, 20.0, 30.0, 40.0}));             // x[1] = [...]
  x.index_put_({Slice(None, None, 2), Slice(2)}, tg::tensor({7.0}));   // broadcast
  x.index_put_({tg::tensor({2}), 1}, tg::tensor({{5}}).view({1}));     // Long values, converted
  CHECK(x.value<float>() == Array<float>{{-1, 1, 7, 7}, {10, 20, 30, 40}, {-1, 5, 7, 7}});
  CHECK(x.data_ptr<float>() == buffer);
  CHECK(contains(error_of([&] { x.index_put_({0}, tg::tensor({1.0, 2.0})); }),
                 "index_put_: values of shape (2,) do not broadcast to the indexed shape (4,)"));
  Tensor w = tg::zeros({2, 2}, tg::requires_grad());
  CHECK(contains(error_of([&] { w.index_put_({0}, 1.0); }), "index_put_"));
  {
    tg::NoGradGuard no_grad;
    w.index_put_({0, 1}, 1.0);
  }
  CHECK(w.value<float>() == Array<float>{{0, 1}, {0, 0}});
}
