// Backward passes on several threads into the same leaves (one model's parameters): each thread has
// its own tape; leaf gradients accumulate under the leaf's lock (core/tape.hpp, Grads). Built with
// -fsanitize=thread these cases show no race.
#include "check.hpp"

#include <thread>

using tg::Array;
using tg::Variable;

namespace {

struct Params {
  Variable<double> w1, b1, w2, scale;
  std::vector<Variable<double>> all() const { return {w1, b1, w2, scale}; }
};

Params make_params() {
  return {tgtest::rand_var({16, 8}, 1), tgtest::rand_var({16}, 2), tgtest::rand_var({16, 4}, 3),
          tgtest::rand_var({1, 4}, 4)};
}

// One forward and backward through every way a backward writes a leaf: linear (in-place BLAS and
// sum_rows into the weight and bias), matmul, a broadcast mul (Grads::add), the same leaf twice.
void step(const Params& p, const Variable<double>& x) {
  auto h = tg::relu(tg::linear(x, p.w1, p.b1));
  auto y = tg::matmul(h, p.w2) * p.scale * p.scale;
  tg::sum(y * y).backward();
}

std::vector<Array<double>> grads_of(const Params& p) {
  std::vector<Array<double>> g;
  for (const auto& v : p.all()) g.push_back(v.grad());
  return g;
}

}  // namespace

TEST_CASE("two threads running backward into the same leaves: the gradients add up, as run one after the other") {
  const Params p = make_params();
  const Variable<double> xa = tgtest::rand_var({5, 8}, 10, -1, 1, false);
  const Variable<double> xb = tgtest::rand_var({3, 8}, 11, -1, 1, false);
  constexpr int kSteps = 200;

  step(p, xa);
  step(p, xb);
  const std::vector<Array<double>> once = grads_of(p);  // one step of each
  for (auto& v : p.all()) v.zero_grad();

  std::thread a([&] { for (int i = 0; i < kSteps; ++i) step(p, xa); });
  std::thread b([&] { for (int i = 0; i < kSteps; ++i) step(p, xb); });
  a.join();
  b.join();
  const std::vector<Array<double>> both = grads_of(p);
  for (std::size_t k = 0; k < once.size(); ++k) {
    CAPTURE(k);
    CHECK(tgtest::allclose(both[k], Array<double>(kSteps * once[k]), 1e-10, 1e-10));
  }
}

TEST_CASE("a leaf another thread holds gets its gradient once that thread lets go") {
  const Params p = make_params();
  const Variable<double> x = tgtest::rand_var({5, 8}, 10, -1, 1, false);
  step(p, x);
  const std::vector<Array<double>> once = grads_of(p);
  for (auto& v : p.all()) v.zero_grad();

  // While this thread holds w1's lock, the worker's backward cannot write w1 in place: it computes
  // w1's gradient into a buffer of its own and adds it in when the lock is free (the sleep only makes
  // that path likely; the result is checked either way).
  p.w1.meta()->grad_mutex.lock();
  std::thread worker([&] { step(p, x); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  p.w1.meta()->grad_mutex.unlock();
  worker.join();
  const std::vector<Array<double>> after = grads_of(p);
  for (std::size_t k = 0; k < once.size(); ++k) {
    CAPTURE(k);
    CHECK(tgtest::allclose(after[k], once[k], 1e-12, 1e-12));
  }
}
