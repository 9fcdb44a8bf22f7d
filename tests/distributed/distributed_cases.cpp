// The tg::distributed cases ctest runs under `mpirun -np 2 --oversubscribe` (tests/CMakeLists.txt):
//   equivalence  2 ranks of 32 rows reach the parameters of 1 process with batch 64, same seed
//   double       the same in float64, to 1e-12: gradients travel as float64
//   coverage     over a real 2-rank job, every sample is seen exactly once per epoch
//   allreduce    (any number of ranks) allreduce_sum through each path, float and double, of
//                slices and of one buffer, at counts that do not split evenly over the ranks and
//                that grow the shared-memory window
//   throw        rank 1 throws mid-training: the job must end non-zero with its message (MPI_Abort)
//   mismatch     rank 1 builds a different model: named at start on every rank
//   c10d         LibTorch's c10d::ProcessGroupMPI calls on tensors (createProcessGroupMPI, getRank,
//                getSize, allreduce and broadcast of one tensor, abort's no-argument form aside),
//                with dist-mnist.cpp's gradient mean and the errors for what they refuse
//   user_module  a module written as LibTorch's examples write one (`Tensor forward(Tensor x)`, held
//                by its own holder): DDP's forward runs it, and 2 ranks train it to 1 process's
//                parameters through data_parallel_backward
// Each prints "PASS <case>" on rank 0 when its checks hold, and exits non-zero otherwise.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include <tapegrad/tapegrad.hpp>

#include "../libtorch_style_net.hpp"

namespace {

using tg::distributed::ProcessGroupMPI;

std::shared_ptr<tg::nn::SequentialImpl> mlp(std::size_t hidden) {
  return std::make_shared<tg::nn::SequentialImpl>(std::make_shared<tg::nn::LinearImpl>(20, hidden),
                                              std::make_shared<tg::nn::ReLUImpl>(),
                                              std::make_shared<tg::nn::LinearImpl>(hidden, 10));
}

tg::Tensor cross_entropy(const tg::Tensor& out, const tg::Tensor& y) {
  return tg::cross_entropy(out, y);
}

// Fixed synthetic data: 600 rows of 20 features (the last global batch is short: 600 = 9·64 + 24).
struct Data {
  tg::Array<float> x = tg::Array<float>::from_shape({600, 20});
  tg::Labels y = tg::Labels::from_shape({600});
  Data() {
    for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] = std::sin(0.37f * float(i));
    for (std::size_t i = 0; i < 600; ++i) y(i) = static_cast<std::int64_t>((i * 7) % 10);
  }
  std::pair<tg::Variable<float>, tg::Labels> rows(const std::vector<std::size_t>& r) const {
    tg::Array<float> bx = tg::Array<float>::from_shape({r.size(), 20});
    tg::Labels by = tg::Labels::from_shape({r.size()});
    for (std::size_t k = 0; k < r.size(); ++k) {
      std::copy_n(x.data() + r[k] * 20, 20, bx.data() + k * 20);
      by(k) = y(r[k]);
    }
    return {tg::Variable<float>(std::move(bx)), std::move(by)};
  }
};

// k steps of SGD (momentum 0.9) over the sampler's rows, in the model's dtype, gradients synced by
// ddp when given.
template <class M>
void train(M& model, tg::data::DistributedSampler& sampler, const Data& data, std::size_t steps,
           tg::distributed::DistributedDataParallel* ddp) {
  const tg::ScalarType dtype = model.parameters().front().scalar_type();
  tg::optim::SGD opt(model.parameters(), tg::optim::SGDOptions(0.1).momentum(0.9));
  std::size_t done = 0;
  for (std::size_t epoch = 0; done < steps; ++epoch) {
    sampler.set_epoch(epoch);
    for (std::size_t s = 0; s < sampler.steps() && done < steps; ++s, ++done) {
      opt.zero_grad();
      const auto rows = sampler.rows(s);
      if (!rows.empty()) {
        const auto [x, y] = data.rows(rows);
        const float scale = float(rows.size() * sampler.num_replicas()) / float(sampler.global_rows(s));
        tg::nn::data_parallel_backward(model, tg::Tensor(x).to(dtype), tg::Tensor(y), cross_entropy, scale);
      }
      if (ddp) ddp->sync_gradients();
      opt.step();
    }
  }
}

// 2 ranks against 1 process in `dtype`: the parameters after 12 steps agree within `tolerance`
// (relative to each parameter's largest value).
int equivalence(ProcessGroupMPI& world, tg::ScalarType dtype, double tolerance) {
  const Data data;
  tg::manual_seed(3 + static_cast<std::uint64_t>(world.rank()));  // different inits: the broadcast must fix them
  auto model = mlp(16);
  model->to(dtype);
  tg::distributed::DistributedDataParallel ddp(model, world, {/*bucket_cap_mb=*/0.0001});  // several buckets
  tg::data::DistributedSampler sampler(600, static_cast<std::size_t>(world.size()), static_cast<std::size_t>(world.rank()), 32, 9);
  train(*model, sampler, data, 12, &ddp);  // 12 steps: through the short last batch into epoch 2

  tg::manual_seed(3);
  auto reference = mlp(16);
  reference->to(dtype);
  tg::data::DistributedSampler whole(600, 1, 0, 64, 9);
  train(*reference, whole, data, 12, nullptr);

  const auto a = model->parameters(), b = reference->parameters();
  double worst = 0;
  for (std::size_t p = 0; p < a.size(); ++p) {
    if (a[p].scalar_type() != dtype) throw tg::Error("a parameter is no longer of the model's dtype");
    const tg::Array<double> mine = a[p].detach().to(tg::kDouble).value<double>(),
                           theirs = b[p].detach().to(tg::kDouble).value<double>();
    double scale = 0;
    for (double v : theirs) scale = std::max(scale, std::abs(v));
    for (std::size_t i = 0; i < mine.size(); ++i) worst = std::max(worst, std::abs(mine.data()[i] - theirs.data()[i]) / scale);
  }
  std::printf("rank %d: %s, %zu buckets, largest difference from 1 process with batch 64: %.2g (relative)\n",
              world.rank(), tg::to_string(dtype), ddp.buckets(), worst);
  if (ddp.buckets() < 2) throw tg::Error("expected several buckets at bucket_cap_mb 0.0001");
  if (!(worst <= tolerance)) throw tg::Error("parameters differ from the 1-process run by " + std::to_string(worst));
  return 0;
}

int coverage(ProcessGroupMPI& world) {
  const std::size_t n = 50000;
  tg::data::DistributedSampler sampler(n, static_cast<std::size_t>(world.size()), static_cast<std::size_t>(world.rank()), 32, 4);
  for (std::size_t epoch : {0, 1}) {
    sampler.set_epoch(epoch);
    std::vector<double> seen(n, 0.0);
    for (std::size_t s = 0; s < sampler.steps(); ++s)
      for (std::size_t i : sampler.rows(s)) seen[i] += 1;
    world.allreduce_sum(seen.data(), n);
    for (std::size_t i = 0; i < n; ++i)
      if (seen[i] != 1) throw tg::Error("sample " + std::to_string(i) + " seen " + std::to_string(seen[i]) + " times in epoch " + std::to_string(epoch));
  }
  return 0;
}

// Every rank holds (rank + 1) · (i % 7 + 1) / 4 at position i: sums and halves are exact.
template <class T>
T contribution(int rank, std::size_t i) {
  return T(rank + 1) * T(i % 7 + 1) / T(4);
}

template <class T>
void check_allreduce(ProcessGroupMPI& world, std::size_t count) {
  const std::string where = std::string("allreduce of ") + std::to_string(count) + (sizeof(T) == 4 ? " floats" : " doubles") +
                            (world.allreduce_path() == ProcessGroupMPI::AllreducePath::MPI ? " (MPI)" : " (shared memory)");
  const T ranks_sum = T(world.size()) * T(world.size() + 1) / T(2);
  std::vector<T> values(count);
  for (std::size_t i = 0; i < count; ++i) values[i] = contribution<T>(world.rank(), i);
  // As slices of uneven sizes (one empty), halved: the mean of 2 ranks' gradients.
  const std::size_t a = count / 3, b = count - a;
  world.allreduce_sum(std::vector<ProcessGroupMPI::Slice<T>>{{values.data(), a}, {values.data() + a, 0}, {values.data() + a, b}},
                      T(0.5));
  for (std::size_t i = 0; i < count; ++i)
    if (values[i] != T(0.5) * ranks_sum * contribution<T>(0, i))
      throw tg::Error(where + ": slices: value " + std::to_string(i) + " is " + std::to_string(values[i]));
  // As one buffer.
  for (std::size_t i = 0; i < count; ++i) values[i] = contribution<T>(world.rank(), i);
  world.allreduce_sum(values.data(), count);
  for (std::size_t i = 0; i < count; ++i)
    if (values[i] != ranks_sum * contribution<T>(0, i))
      throw tg::Error(where + ": one buffer: value " + std::to_string(i) + " is " + std::to_string(values[i]));
}

int allreduce(ProcessGroupMPI& world) {
  using Path = ProcessGroupMPI::AllreducePath;
  if (world.allreduce_path() != Path::SharedMemory) throw tg::Error("expected the shared-memory path on one machine");
  for (Path path : {Path::SharedMemory, Path::MPI}) {
    world.set_allreduce_path(path);
    for (std::size_t count : {0, 1, 2, 5, 1023, 1025, 3001, 100003, 7, 300001}) {
      check_allreduce<float>(world, count);
      check_allreduce<double>(world, count);
    }
  }
  world.set_allreduce_path(Path::SharedMemory);
  return 0;
}

int fail_on_rank_1(ProcessGroupMPI& world) {
  auto model = mlp(16);
  tg::distributed::DistributedDataParallel ddp(model, world);
  if (world.rank() == 1) throw tg::Error("injected failure on rank 1");
  for (;;) ddp.sync_gradients();  // rank 0 waits in allreduce for rank 1, which never comes
}

int mismatch(ProcessGroupMPI& world) {
  auto model = mlp(world.rank() == 1 ? 17 : 16);
  tg::distributed::DistributedDataParallel ddp(model, world);
  return 0;
}

// Throws unless body() throws a tg::Error whose message contains `expected`.
template <class F>
void expect_error(F body, const std::string& expected) {
  try {
    body();
  } catch (const tg::Error& e) {
    if (std::string(e.what()).find(expected) != std::string::npos) return;
    throw tg::Error("expected an error containing '" + expected + "', got '" + e.what() + "'");
  }
  throw tg::Error("expected an error containing '" + expected + "', got none");
}

int c10d(ProcessGroupMPI& world) {
  namespace c10d = tg::distributed;
  auto pg = c10d::ProcessGroupMPI::createProcessGroupMPI();
  if (pg.get() != &world || pg->getRank() != world.rank() || pg->getSize() != world.size())
    throw tg::Error("createProcessGroupMPI: expected world's group, rank and size");
  if (c10d::ProcessGroupMPI::createProcessGroupMPI({1, 0}).get() != &world) throw tg::Error("ranks {1, 0}: not world");
  expect_error([] { c10d::ProcessGroupMPI::createProcessGroupMPI({0}); }, "expected no ranks or all 2");
  const double rank = world.rank();
  // A Float and a Double tensor summed in place: rank 0 holds 1, 2, 3; rank 1 holds 2, 4, 6.
  for (tg::ScalarType dtype : {tg::kFloat, tg::kDouble}) {
    std::vector<tg::Tensor> t = {tg::tensor({1.0, 2.0, 3.0}).to(dtype) * (rank + 1)};
    const tg::Tensor same = t[0];
    std::vector<std::shared_ptr<c10d::ProcessGroup::Work>> works = {pg->allreduce(t)};
    for (auto& w : works) w->wait();
    if (!same.allclose(tg::tensor({3.0, 6.0, 9.0}).to(dtype), 0, 0)) throw tg::Error("allreduce: wrong sum");
    std::vector<tg::Tensor> b = {tg::full({2, 2}, rank + 1, tg::dtype(dtype))};
    pg->broadcast(b, {/*rootRank=*/1})->wait();
    if (!b[0].allclose(tg::full({2, 2}, 2.0, tg::dtype(dtype)), 0, 0)) throw tg::Error("broadcast: not rank 1's values");
  }
  // dist-mnist.cpp's gradient mean: allreduce the gradient, then write grad / ranks into it.
  tg::Tensor w = tg::tensor({1.0f, 2.0f}).requires_grad_();
  (w * w * float(rank + 1)).sum().backward();  // grad 2w(rank + 1): rank 0 2, 4; rank 1 4, 8
  std::vector<tg::Tensor> g = {w.grad()};
  auto work = pg->allreduce(g);
  w.grad().data() = w.grad().data() / pg->getSize();
  work->wait();
  if (!w.grad().allclose(tg::tensor({3.0f, 6.0f}), 0, 0)) throw tg::Error("the gradient's mean over ranks is wrong");
  std::vector<tg::Tensor> two = {w.grad(), w.grad()}, none = {}, longs = {tg::arange(3)}, undefined = {tg::Tensor()};
  expect_error([&] { pg->allreduce(two); }, "ProcessGroupMPI::allreduce: expected exactly one tensor (as LibTorch's MPI backend), got 2");
  expect_error([&] { pg->allreduce(none); }, "expected exactly one tensor (as LibTorch's MPI backend), got 0");
  expect_error([&] { pg->allreduce(longs); }, "ProcessGroupMPI::allreduce: expected a Float or Double tensor, got Long");
  expect_error([&] { pg->broadcast(undefined); }, "ProcessGroupMPI::broadcast: the tensor is undefined");
  expect_error([&] { pg->broadcast(g, {/*rootRank=*/2}); }, "expected 0 <= rootRank < 2, got 2");
  return 0;
}

using tgtest::LibTorchStyleNet;

int user_module(ProcessGroupMPI& world) {
  const Data data;
  tg::manual_seed(5 + static_cast<std::uint64_t>(world.rank()));  // different inits: the broadcast fixes them
  LibTorchStyleNet net(20, 16, 10);
  tg::distributed::DistributedDataParallel ddp(net, world);
  const auto [x, y] = data.rows({0, 1, 2, 3});
  const tg::Tensor out = ddp.forward(tg::Tensor(x));
  if (!tg::allclose(out.variable<float>(), net->forward(tg::Tensor(x)).variable<float>())) throw tg::Error("ddp.forward differs from the module's forward");

  tg::data::DistributedSampler sampler(600, static_cast<std::size_t>(world.size()), static_cast<std::size_t>(world.rank()), 32, 9);
  train(*net, sampler, data, 12, &ddp);
  tg::manual_seed(5);
  LibTorchStyleNet reference(20, 16, 10);
  tg::data::DistributedSampler whole(600, 1, 0, 64, 9);
  train(*reference, whole, data, 12, nullptr);
  const auto a = net->parameters(), b = reference->parameters();
  for (std::size_t p = 0; p < a.size(); ++p)
    if (!tg::allclose(a[p].variable<float>(), b[p].variable<float>(), 1e-5, 1e-6))
      throw tg::Error("parameter " + std::to_string(p) + " differs from the 1-process run");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string which = argc > 1 ? argv[1] : "";
  auto& world = ProcessGroupMPI::world();
  if (world.size() != 2 && which != "allreduce")
    world.abort("run under mpirun -np 2, got " + std::to_string(world.size()) + " ranks");
  const int rc = tg::distributed::run_or_abort([&] {
    if (which == "equivalence") return equivalence(world, tg::kFloat, 1e-5);
    if (which == "double") return equivalence(world, tg::kDouble, 1e-12);
    if (which == "coverage") return coverage(world);
    if (which == "allreduce") return allreduce(world);
    if (which == "throw") return fail_on_rank_1(world);
    if (which == "mismatch") return mismatch(world);
    if (which == "user_module") return user_module(world);
    if (which == "c10d") return c10d(world);
    throw tg::Error("unknown case '" + which +
                    "' (expected equivalence, double, coverage, allreduce, throw, mismatch, user_module or c10d)");
  });
  if (world.rank() == 0) std::printf("PASS %s\n", which.c_str());
  return rc;
}
