// tg::ThreadPool and tg::nn::data_parallel_backward: a batch split over the pool's threads trains
// to the same parameters as the serial step (up to float summation order).
#include "check.hpp"
#include "libtorch_style_net.hpp"

#include <atomic>
#include <stdexcept>
#include <thread>

namespace {

std::shared_ptr<tg::nn::SequentialImpl> small_cnn() {
  return std::make_shared<tg::nn::SequentialImpl>(
      std::make_shared<tg::nn::Conv2dImpl>(tg::nn::Conv2dOptions(1, 4, 3).stride(2).padding(1)),
      std::make_shared<tg::nn::ReLUImpl>(), std::make_shared<tg::nn::FlattenImpl>(), std::make_shared<tg::nn::LinearImpl>(64, 16),
      std::make_shared<tg::nn::ReLUImpl>(), std::make_shared<tg::nn::LinearImpl>(16, 10));
}

tg::Tensor cross_entropy(const tg::Tensor& out, const tg::Tensor& y) {
  return tg::cross_entropy(out, y);
}

// The parameters after `steps` SGD steps (momentum 0.9) on fixed random batches of 64 8x8 images,
// with the batch split over `threads` threads.
std::vector<tg::Array<float>> train(int threads, int steps) {
  tg::set_num_threads(threads);
  tg::nn::set_split_policy(tg::nn::SplitPolicy::Always);
  tg::manual_seed(7);
  auto model = small_cnn();
  tg::optim::SGD opt(model->parameters(), tg::optim::SGDOptions(0.1).momentum(0.9));
  for (int s = 0; s < steps; ++s) {
    tg::Variable<float> x(tg::randn<float>({64, 1, 8, 8}));
    tg::Labels y = tg::Labels::from_shape({64});
    for (std::size_t i = 0; i < 64; ++i) y(i) = static_cast<std::int64_t>((i * 7 + s) % 10);
    opt.zero_grad();
    tg::nn::data_parallel_backward(*model, x, tg::Tensor(y), cross_entropy);
    opt.step();
  }
  std::vector<tg::Array<float>> out;
  for (const auto& p : model->parameters()) out.push_back(p.value<float>());
  tg::set_num_threads(1);
  tg::nn::set_split_policy(tg::nn::SplitPolicy::Measure);
  return out;
}

}  // namespace

TEST_CASE("parallel_for runs every task once, rethrows a task's exception, and runs nested calls serially") {
  tg::ThreadPool pool(2);
  std::vector<std::atomic<int>> hits(100);
  pool.parallel_for(100, [&](std::size_t i) { ++hits[i]; });
  for (auto& h : hits) CHECK(h == 1);
  CHECK_THROWS_WITH_AS(pool.parallel_for(10, [](std::size_t i) { if (i == 3) throw tg::Error("task 3 failed"); }),
                       "task 3 failed", tg::Error);
  std::atomic<int> inner{0}, outside_region{0};
  pool.parallel_for(2, [&](std::size_t) {
    pool.parallel_for(3, [&](std::size_t) { ++inner; });
    if (!tg::in_parallel_region()) ++outside_region;  // the nested call must not clear the outer mark
  });
  CHECK(inner == 6);
  CHECK(outside_region == 0);
  CHECK_FALSE(tg::in_parallel_region());
  CHECK_THROWS_WITH_AS(tg::ThreadPool(0), "ThreadPool: expected threads >= 1, got 0", tg::Error);
}

TEST_CASE("parallel_for: the calling thread takes task 0, a worker the next, every call") {
  tg::ThreadPool pool(2);
  const auto caller = std::this_thread::get_id();
  for (int call = 0; call < 20; ++call) {
    std::atomic<bool> first_started{false};
    std::thread::id ran_first;
    pool.parallel_for(2, [&](std::size_t i) {
      if (i == 0) {
        ran_first = std::this_thread::get_id();
        first_started = true;
      } else {
        while (!first_started) std::this_thread::yield();  // so a worker holding task 1 cannot take task 0
      }
    });
    CHECK(ran_first == caller);
  }
}

TEST_CASE("parallel_for over a range: chunks cover it once, none under the grain, serial when small") {
  tg::set_num_threads(2);
  const int pool = tg::get_pool_threads();
  for (const std::int64_t n : {0, 1, 5, 7, 8, 100, 1001}) {
    std::vector<std::atomic<int>> hits(static_cast<std::size_t>(n));
    std::atomic<int> chunks{0};
    std::atomic<std::int64_t> shortest{n};
    tg::parallel_for(10, 10 + n, 4, [&](std::int64_t b, std::int64_t e) {
      ++chunks;
      for (std::int64_t i = b; i < e; ++i) ++hits[static_cast<std::size_t>(i - 10)];
      std::int64_t s = shortest;
      while (e - b < s && !shortest.compare_exchange_weak(s, e - b)) {
      }
    });
    for (auto& h : hits) CHECK(h == 1);
    CHECK(chunks == (n == 0 ? 0 : std::min<std::int64_t>(pool, std::max<std::int64_t>(1, n / 4))));
    if (n >= 4) CHECK(shortest >= 4);
  }
  // With chunking off, one chunk on the calling thread.
  REQUIRE(tg::chunking());
  tg::set_chunking(false);
  std::atomic<int> chunks{0};
  std::int64_t covered = 0;
  tg::parallel_for(0, 1000, 4, [&](std::int64_t b, std::int64_t e) { ++chunks, covered += e - b; });
  tg::set_chunking(true);
  CHECK(chunks == 1);
  CHECK(covered == 1000);
  CHECK_THROWS_WITH_AS(tg::parallel_for(0, 10, 0, [](std::int64_t, std::int64_t) {}),
                       "parallel_for: expected grain_size >= 1, got 0", tg::Error);
  tg::set_num_threads(1);
}

TEST_CASE("a large matmul split over the pool's threads equals the 1-thread product") {
  tg::manual_seed(3);
  const tg::Tensor a = tg::randn({300, 200}), b = tg::randn({200, 150}), wide = tg::randn({200, 900});
  const auto product = [&](int threads) {
    tg::set_num_threads(threads);
    std::vector<tg::Tensor> out = {a.matmul(b), a.matmul(wide), a.t().matmul(a), b.t().matmul(a.t()).t()};
    tg::set_num_threads(1);
    return out;
  };
  const auto serial = product(1), split = product(2);
  for (std::size_t i = 0; i < serial.size(); ++i) CHECK(allclose(serial[i].value<float>(), split[i].value<float>(), 1e-5, 1e-4));
}

TEST_CASE("data_parallel_backward: 2 threads reach the 1-thread parameters within 1e-5 relative") {
  REQUIRE_MESSAGE(std::thread::hardware_concurrency() >= 2, "this test needs 2 cores to split the batch");
  const auto serial = train(1, 4);
  const auto parallel = train(2, 4);
  REQUIRE(serial.size() == parallel.size());
  for (std::size_t p = 0; p < serial.size(); ++p) {
    float scale = 0;
    for (float v : serial[p]) scale = std::max(scale, std::abs(v));
    for (std::size_t i = 0; i < serial[p].size(); ++i)
      CHECK(std::abs(serial[p].data()[i] - parallel[p].data()[i]) <= 1e-5f * scale);
  }
}

TEST_CASE("data_parallel_backward measures: serial, GEMM-split and batch-split trial blocks take turns, then the fastest holds") {
  REQUIRE_MESSAGE(std::thread::hardware_concurrency() >= 2, "this test needs 2 cores to split the batch");
  REQUIRE(tg::nn::get_split_policy() == tg::nn::SplitPolicy::Measure);
  tg::set_num_threads(2);
  auto model = small_cnn();
  std::atomic<int> calls{0}, in_task{0};
  const auto counting_loss = [&](const tg::Tensor& out, const tg::Tensor& y) {
    ++calls;
    in_task += tg::in_parallel_region();  // a serial step runs as one task, so its GEMMs are never split
    return tg::cross_entropy(out, y);
  };
  const tg::Tensor x(tg::Variable<float>(tg::randn<float>({8, 1, 8, 8})));
  tg::Labels labels = tg::Labels::from_shape({8});
  for (std::size_t i = 0; i < 8; ++i) labels(i) = static_cast<std::int64_t>(i);
  const tg::Tensor y(labels);
  std::vector<int> slices, tasks;
  std::vector<bool> chunked;  // parallel_for's chunking after the step, for the update and next batch
  for (int step = 0; step < 80; ++step) {
    calls = 0, in_task = 0;
    tg::nn::data_parallel_backward(*model, x, y, counting_loss);
    slices.push_back(calls), tasks.push_back(in_task), chunked.push_back(tg::chunking());
  }
  for (int step = 0; step < 36; ++step) {  // 3 rounds of 4 steps of each: serial, GEMMs split, batch split
    CAPTURE(step);
    const int mode = step / 4 % 3;
    CHECK(slices[step] == (mode == 2 ? 2 : 1));
    CHECK(tasks[step] == (mode == 0 ? 1 : mode == 1 ? 0 : 2));
    CHECK(chunked[step] == (mode != 0));
  }
  for (int step = 37; step < 80; ++step) CHECK(slices[step] == slices[36]);
  tg::set_chunking(true);
  tg::set_num_threads(1);
}

TEST_CASE("set_num_threads caps the pool at the machine's cores and rejects 0") {
  tg::set_num_threads(64);
  CHECK(tg::get_num_threads() == 64);
  CHECK(tg::get_pool_threads() == static_cast<int>(std::thread::hardware_concurrency()));
  CHECK(tg::thread_pool().size() == tg::get_pool_threads());
  tg::set_num_threads(1);
  CHECK(tg::thread_pool().size() == 1);
  CHECK_THROWS_WITH_AS(tg::set_num_threads(0), "set_num_threads: expected n >= 1, got 0", tg::Error);
}

TEST_CASE("data_parallel_backward names mismatched shapes") {
  auto model = small_cnn();
  CHECK_THROWS_WITH_AS(tg::nn::data_parallel_backward(*model, tg::Variable<float>(tg::randn<float>({4, 1, 8, 8})),
                                                      tg::Tensor(tg::Labels::from_shape({3})), cross_entropy),
                       "data_parallel_backward: expected x of shape (B, ...) and y of shape (B,), got x (4, 1, 8, 8) and y (3,)",
                       tg::Error);
}

TEST_CASE("data_parallel_backward in float64: slice weights (1/3, 2/3) keep the serial gradient to 1e-13") {
  REQUIRE_MESSAGE(std::thread::hardware_concurrency() >= 2, "this test needs 2 cores to split the batch");
  tg::nn::set_split_policy(tg::nn::SplitPolicy::Always);
  auto grads = [](int threads) {
    tg::set_num_threads(threads);
    tg::manual_seed(8);
    tg::nn::Linear fc(5, 4);
    fc->to(tg::kDouble);
    const tg::Tensor x = tg::randn({3, 5}, tg::kDouble), y(tg::Labels{0, 3, 1});
    tg::nn::data_parallel_backward(*fc, x, y, cross_entropy);  // 2 threads: slices of 1 and 2 rows
    tg::set_num_threads(1);
    return fc->weight.grad().value<double>();
  };
  const tg::Array<double> serial = grads(1), parallel = grads(2);
  CHECK(tgtest::allclose(parallel, serial, 1e-13, 1e-15));
  tg::nn::set_split_policy(tg::nn::SplitPolicy::Measure);
}

TEST_CASE("data_parallel_backward on 2 threads accumulates as backward does, and fills an input's gradient") {
  REQUIRE_MESSAGE(std::thread::hardware_concurrency() >= 2, "this test needs 2 cores to split the batch");
  tg::nn::set_split_policy(tg::nn::SplitPolicy::Always);
  struct Run {
    tg::Array<double> weight_grad, x_grad;
  };
  auto run = [](int threads, bool x_requires_grad) {
    tg::set_num_threads(threads);
    tg::manual_seed(9);
    tg::nn::Linear fc(5, 4);
    fc->to(tg::kDouble);
    const tg::Tensor x = tg::randn({6, 5}, tg::kDouble), y(tg::Labels{0, 3, 1, 2, 2, 0});
    x.requires_grad_(x_requires_grad);
    // Twice without zero_grad: the second adds to the first, as two backward() calls would.
    tg::nn::data_parallel_backward(*fc, x, y, cross_entropy);
    tg::nn::data_parallel_backward(*fc, x, y, cross_entropy, 0.5f);
    tg::set_num_threads(1);
    return Run{fc->weight.grad().value<double>(), x_requires_grad ? x.grad().value<double>() : tg::Array<double>()};
  };
  for (const bool x_requires_grad : {false, true}) {
    CAPTURE(x_requires_grad);
    const Run serial = run(1, x_requires_grad), parallel = run(2, x_requires_grad);
    CHECK(tgtest::allclose(parallel.weight_grad, serial.weight_grad, 1e-13, 1e-15));
    if (x_requires_grad) CHECK(tgtest::allclose(parallel.x_grad, serial.x_grad, 1e-13, 1e-15));
  }
  tg::nn::set_split_policy(tg::nn::SplitPolicy::Measure);
}

namespace {

using tgtest::LibTorchStyleNet;

// fc1's and fc2's weights after 3 steps on 2 threads, with the step given by `step`.
template <class Step>
std::vector<tg::Array<float>> train_libtorch_style(Step step) {
  tg::set_num_threads(2);
  tg::nn::set_split_policy(tg::nn::SplitPolicy::Always);
  tg::manual_seed(11);
  LibTorchStyleNet net(12, 8, 3);
  tg::optim::SGD opt(net->parameters(), tg::optim::SGDOptions(0.1));
  for (int s = 0; s < 3; ++s) {
    const tg::Tensor x(tg::Variable<float>(tg::randn<float>({10, 12})));
    tg::Labels y = tg::Labels::from_shape({10});
    for (std::size_t i = 0; i < 10; ++i) y(i) = static_cast<std::int64_t>((i + s) % 3);
    opt.zero_grad();
    step(net, x, tg::Tensor(y));
    opt.step();
  }
  tg::set_num_threads(1);
  tg::nn::set_split_policy(tg::nn::SplitPolicy::Measure);
  return {net->fc1->weight.value<float>(), net->fc2->weight.value<float>()};
}

}  // namespace

TEST_CASE("data_parallel_backward runs a LibTorch-style module's own forward (module or holder), or a forward given") {
  const auto serial = train_libtorch_style([](LibTorchStyleNet& net, const tg::Tensor& x, const tg::Tensor& y) {
    tg::cross_entropy(net->forward(x), y).backward();
  });
  const auto own = train_libtorch_style([](LibTorchStyleNet& net, const tg::Tensor& x, const tg::Tensor& y) {
    tg::nn::data_parallel_backward(*net, x, y, cross_entropy);
  });
  const auto holder = train_libtorch_style([](LibTorchStyleNet& net, const tg::Tensor& x, const tg::Tensor& y) {
    tg::nn::data_parallel_backward(net, x, y, cross_entropy);
  });
  const auto given = train_libtorch_style([](LibTorchStyleNet& net, const tg::Tensor& x, const tg::Tensor& y) {
    tg::nn::data_parallel_backward(
        *net, [&](const tg::Tensor& in) { return net->forward(in); }, x, y, cross_entropy);
  });
  for (std::size_t p = 0; p < serial.size(); ++p)
    for (std::size_t i = 0; i < serial[p].size(); ++i) {
      CHECK(own[p].data()[i] == doctest::Approx(serial[p].data()[i]).epsilon(1e-5));
      CHECK(holder[p].data()[i] == own[p].data()[i]);
      CHECK(given[p].data()[i] == doctest::Approx(serial[p].data()[i]).epsilon(1e-5));
    }
}
