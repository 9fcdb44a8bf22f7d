// LibTorch's data pipeline in tg::data: datasets users derive from, map, the transforms, the
// samplers and make_data_loader with and without worker threads.
#include <algorithm>
#include <chrono>
#include <numeric>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "check.hpp"

namespace transforms = tg::data::transforms;
namespace samplers = tg::data::samplers;
using tg::Tensor;
using tg::data::DataLoaderOptions;
using tg::data::Example;

namespace {

Tensor floats(std::vector<float> values, tg::Shape shape) {
  tg::Array<float> a = tg::Array<float>::from_shape(shape);
  std::copy(values.begin(), values.end(), a.data());
  return Tensor(std::move(a));
}

Tensor label(std::int64_t value) {
  tg::Array<std::int64_t> a = tg::Array<std::int64_t>::from_shape({});
  a() = value;
  return Tensor(std::move(a));
}

std::vector<float> values_of(const Tensor& t) {
  const tg::Array<float>& a = t.value<float>();
  return std::vector<float>(a.data(), a.data() + a.size());
}

std::vector<std::int64_t> labels_of(const Tensor& t) {
  const tg::Array<std::int64_t>& a = t.value<std::int64_t>();
  return std::vector<std::int64_t>(a.data(), a.data() + a.size());
}

// Example i: data {i, 10 i} of shape (2,), target i; get(throw_at) throws.
struct Counting : tg::data::datasets::Dataset<Counting> {
  explicit Counting(std::size_t n, std::size_t throw_at = SIZE_MAX) : n(n), throw_at(throw_at) {}
  Example<> get(std::size_t i) override {
    if (i == throw_at) throw tg::Error("Counting: example " + std::to_string(i) + " is broken");
    return {floats({float(i), float(10 * i)}, {2}), label(static_cast<std::int64_t>(i))};
  }
  std::optional<std::size_t> size() const override { return n; }
  std::size_t n, throw_at;
};

// Every batch's targets, over `epochs` passes of a loader of Counting(n) stacked.
template <class Sampler = samplers::RandomSampler>
std::vector<std::vector<std::int64_t>> epochs_of_targets(std::size_t n, DataLoaderOptions options, int epochs) {
  tg::manual_seed(11);
  auto loader = tg::data::make_data_loader<Sampler>(Counting(n).map(transforms::Stack<>()), options);
  std::vector<std::vector<std::int64_t>> batches;
  for (int e = 0; e < epochs; ++e)
    for (auto& batch : *loader) {
      const std::vector<std::int64_t> targets = labels_of(batch.target);
      const std::vector<float> data = values_of(batch.data);
      REQUIRE(data.size() == 2 * targets.size());
      for (std::size_t k = 0; k < targets.size(); ++k) CHECK(data[2 * k + 1] == float(10 * targets[k]));
      batches.push_back(targets);
    }
  return batches;
}

}  // namespace

TEST_CASE("data pipeline: a Dataset users derive from, get_batch, map and chained maps") {
  Counting d(5);
  CHECK(d.size() == std::optional<std::size_t>(5));
  const std::vector<Example<>> batch = d.get_batch({3, 1});
  REQUIRE(batch.size() == 2);
  CHECK(values_of(batch[0].data) == std::vector<float>{3, 30});
  CHECK(batch[1].target.item<std::int64_t>() == 1);

  auto doubled = d.map(transforms::TensorLambda<>([](Tensor x) { return x.mul(2.0); }));
  auto shifted = std::move(doubled).map(transforms::Lambda<Example<>>([](Example<> e) {
    return Example<>(e.data.add(1.0), e.target.add(100));
  }));
  auto stacked = std::move(shifted).map(transforms::Stack<>());
  CHECK(stacked.size() == std::optional<std::size_t>(5));
  const Example<> b = stacked.get_batch({4, 0, 2});
  CHECK(b.data.sizes() == tg::IntArrayRef({3, 2}));
  CHECK(values_of(b.data) == std::vector<float>{9, 81, 1, 1, 5, 41});
  CHECK(labels_of(b.target) == std::vector<std::int64_t>{104, 100, 102});
  CHECK(d.get(1).target.item<std::int64_t>() == 1);  // map(&) copied d: d itself is unchanged

  auto summed = tg::data::datasets::map(Counting(3), transforms::BatchLambda<std::vector<Example<>>, Tensor>(
                                                         [](std::vector<Example<>> examples) {
                                                           return label(static_cast<std::int64_t>(examples.size()));
                                                         }));
  CHECK(summed.get_batch({0, 1, 2}).item<std::int64_t>() == 3);
}

TEST_CASE("Normalize: (x - mean) / stddev in float, one value or one per channel") {
  const std::vector<float> x{0.0f, 0.25f, 0.5f, 1.0f};
  const float m = 0.1307f, s = 0.3081f;  // LibTorch rounds mean and stddev to float: so do we
  const Tensor out = transforms::Normalize<>(0.1307, 0.3081)(floats(x, {1, 2, 2}));
  CHECK(out.scalar_type() == tg::kFloat);
  CHECK(out.sizes() == tg::IntArrayRef({1, 2, 2}));
  const std::vector<float> got = values_of(out);
  for (std::size_t i = 0; i < x.size(); ++i) CHECK(got[i] == (x[i] - m) / s);

  // (2 images, 2 channels, 1x2): channel 0 uses mean 1 and stddev 2, channel 1 mean 2 and stddev 4.
  transforms::Normalize<> per_channel({1.0, 2.0}, {2.0, 4.0});
  const Tensor images = floats({1, 3, 2, 6, 5, 7, 10, 14}, {2, 2, 1, 2});
  CHECK(values_of(per_channel(images)) == std::vector<float>{0, 1, 0, 1, 2, 3, 2, 3});
  CHECK(values_of(images) == std::vector<float>{1, 3, 2, 6, 5, 7, 10, 14});  // a handle still held: copied

  SUBCASE("double stays double; an integer tensor becomes Float, as LibTorch promotes it") {
    tg::Array<double> d = {4.0, 8.0};
    const Tensor dn = transforms::Normalize<>(2.0, 4.0)(Tensor(d));
    CHECK(dn.scalar_type() == tg::kDouble);
    CHECK(dn.value<double>() == tg::Array<double>{0.5, 1.5});
    const Tensor ln = transforms::Normalize<>(2.0, 4.0)(Tensor(tg::Array<std::int64_t>{4, 8}));
    CHECK(ln.scalar_type() == tg::kFloat);
    CHECK(values_of(ln) == std::vector<float>{0.5f, 1.5f});
  }
  SUBCASE("an input that requires grad is recorded: d out / d x = 1 / stddev") {
    tg::Array<double> v = {1.0, 2.0, 3.0};
    const Tensor leaf(v, /*requires_grad=*/true);
    transforms::Normalize<>(1.0, 4.0)(leaf).sum().backward();
    CHECK(leaf.grad().value<double>() == tg::Array<double>{0.25, 0.25, 0.25});
  }
  SUBCASE("bad arguments and inputs are tg::Errors") {
    CHECK_THROWS_WITH_AS(transforms::Normalize<>({0.1, 0.2}, {0.3}), doctest::Contains("as many means as stddevs"),
                         tg::Error);
    CHECK_THROWS_WITH_AS(transforms::Normalize<>(0.1, 0.0), doctest::Contains("every stddev > 0"), tg::Error);
    CHECK_THROWS_WITH_AS(per_channel(floats({1, 2, 3}, {3, 1, 1})), doctest::Contains("C = 2"), tg::Error);
    CHECK_THROWS_WITH_AS(per_channel(floats({1, 2}, {2})), doctest::Contains("got (2,)"), tg::Error);
  }
}

TEST_CASE("Stack: examples into one Example of (B, ...) data and (B,) targets") {
  std::vector<Example<>> examples;
  for (std::int64_t i = 0; i < 3; ++i) examples.emplace_back(floats({float(i), float(-i)}, {1, 2}), label(7 + i));
  const Example<> batch = transforms::Stack<>().apply_batch(examples);
  CHECK(batch.data.sizes() == tg::IntArrayRef({3, 1, 2}));
  CHECK(values_of(batch.data) == std::vector<float>{0, 0, 1, -1, 2, -2});
  CHECK(batch.target.scalar_type() == tg::kLong);
  CHECK(labels_of(batch.target) == std::vector<std::int64_t>{7, 8, 9});

  examples[2].data = floats({1, 2, 3}, {1, 3});
  CHECK_THROWS_WITH_AS(transforms::Stack<>().apply_batch(examples),
                       doctest::Contains("shape (1, 2) (as example 0), got CPUFloatType of shape (1, 3) at example 2"),
                       tg::Error);
  CHECK_THROWS_WITH_AS(transforms::Stack<>().apply_batch({}), doctest::Contains("empty batch"), tg::Error);
}

TEST_CASE("samplers: SequentialSampler's order, RandomSampler's coverage and seeding") {
  samplers::SequentialSampler seq(5);
  CHECK(seq.next(2) == std::vector<std::size_t>{0, 1});
  CHECK(seq.next(2) == std::vector<std::size_t>{2, 3});
  CHECK(seq.next(2) == std::vector<std::size_t>{4});
  CHECK_FALSE(seq.next(2).has_value());
  seq.reset(3);
  CHECK(seq.next(10) == std::vector<std::size_t>{0, 1, 2});
  CHECK_THROWS_AS(seq.next(0), tg::Error);

  auto epoch = [](samplers::RandomSampler& s) {
    std::vector<std::size_t> all;
    while (auto batch = s.next(3)) {
      CHECK(batch->size() <= 3);
      all.insert(all.end(), batch->begin(), batch->end());
    }
    return all;
  };
  tg::manual_seed(5);
  samplers::RandomSampler r(10);
  const std::vector<std::size_t> first = epoch(r);
  r.reset();
  const std::vector<std::size_t> second = epoch(r);
  std::vector<std::size_t> sorted = first;
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::size_t> expected(10);
  std::iota(expected.begin(), expected.end(), std::size_t{0});
  CHECK(sorted == expected);  // every index once
  CHECK(first != second);     // a new permutation every epoch
  CHECK(first != expected);
  tg::manual_seed(5);
  samplers::RandomSampler again(10);
  CHECK(epoch(again) == first);  // runs repeat under manual_seed
  CHECK_THROWS_AS(samplers::RandomSampler(-1), tg::Error);
}

TEST_CASE("make_data_loader: 0 and 2 workers give the same batches in the same order") {
  const DataLoaderOptions options = DataLoaderOptions().batch_size(10);
  const auto serial = epochs_of_targets(103, options, 2);
  CHECK(serial.size() == 22);
  CHECK(epochs_of_targets(103, DataLoaderOptions(options).workers(2), 2) == serial);
  CHECK(epochs_of_targets(103, DataLoaderOptions(options).workers(2).max_jobs(1), 2) == serial);
  // Every example once per epoch; the two epochs differ.
  std::set<std::int64_t> seen;
  for (std::size_t b = 0; b < 11; ++b) seen.insert(serial[b].begin(), serial[b].end());
  CHECK(seen.size() == 103);
  CHECK(serial[0] != serial[11]);

  const auto ordered = epochs_of_targets<samplers::SequentialSampler>(25, DataLoaderOptions(10).workers(2), 1);
  CHECK(ordered == std::vector<std::vector<std::int64_t>>{
                       {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {10, 11, 12, 13, 14, 15, 16, 17, 18, 19}, {20, 21, 22, 23, 24}});
  // Without enforced ordering: the same batches, in whichever order they finished.
  auto unordered = epochs_of_targets(103, DataLoaderOptions(options).workers(2).enforce_ordering(false), 1);
  auto first_epoch = std::vector<std::vector<std::int64_t>>(serial.begin(), serial.begin() + 11);
  std::sort(unordered.begin(), unordered.end());
  std::sort(first_epoch.begin(), first_epoch.end());
  CHECK(unordered == first_epoch);
}

TEST_CASE("make_data_loader: the last partial batch, and drop_last") {
  for (std::size_t workers : {0, 2}) {
    CAPTURE(workers);
    const auto kept = epochs_of_targets(25, DataLoaderOptions(10).workers(workers), 1);
    REQUIRE(kept.size() == 3);
    CHECK(kept[2].size() == 5);
    const auto dropped = epochs_of_targets(25, DataLoaderOptions(10).workers(workers).drop_last(true), 1);
    REQUIRE(dropped.size() == 2);
    CHECK(dropped[1].size() == 10);
    CHECK(epochs_of_targets(20, DataLoaderOptions(10).workers(workers).drop_last(true), 1).size() == 2);
    CHECK(epochs_of_targets(5, DataLoaderOptions(10).workers(workers).drop_last(true), 1).empty());
  }
}

TEST_CASE("make_data_loader: an exception while loading reaches the caller with its message") {
  for (std::size_t workers : {0, 1, 2}) {
    CAPTURE(workers);
    auto loader = tg::data::make_data_loader<samplers::SequentialSampler>(
        Counting(50, /*throw_at=*/37).map(transforms::Stack<>()), DataLoaderOptions(10).workers(workers));
    std::vector<std::int64_t> firsts;
    auto run = [&] {
      for (auto& batch : *loader) firsts.push_back(labels_of(batch.target).front());
    };
    CHECK_THROWS_WITH_AS(run(), "Counting: example 37 is broken", tg::Error);
    CHECK(firsts == std::vector<std::int64_t>{0, 10, 20});
    // The loader is usable again: a new epoch starts from the beginning.
    firsts.clear();
    CHECK_THROWS_WITH_AS(run(), "Counting: example 37 is broken", tg::Error);
    CHECK(firsts == std::vector<std::int64_t>{0, 10, 20});
  }
}

TEST_CASE("make_data_loader: leaving an epoch early, destroying a busy loader, bad options") {
  auto loader = tg::data::make_data_loader<samplers::SequentialSampler>(Counting(1000).map(transforms::Stack<>()),
                                                                         DataLoaderOptions(7).workers(2).max_jobs(5));
  for (auto& batch : *loader) {
    CHECK(labels_of(batch.target).front() == 0);
    break;
  }
  std::size_t batches = 0, examples = 0;
  for (auto& batch : *loader) {
    CHECK(labels_of(batch.target).front() == std::int64_t(7 * batches++));
    examples += static_cast<std::size_t>(batch.target.numel());
  }
  CHECK(batches == 143);
  CHECK(examples == 1000);
  (void)loader->begin();  // the workers are busy with the next batches: the destructor must join them
  loader.reset();

  CHECK_THROWS_WITH_AS(tg::data::make_data_loader(Counting(5), DataLoaderOptions(0)),
                       doctest::Contains("batch_size >= 1"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::data::make_data_loader(Counting(5), DataLoaderOptions(1).workers(1).max_jobs(0)),
                       doctest::Contains("max_jobs >= 1"), tg::Error);
}

TEST_CASE("make_data_loader: a worker slower than the timeout is a tg::Error") {
  // Every example takes 300 ms; the caller waits 10 ms for the first batch.
  auto slow = transforms::Lambda<Example<>>([](Example<> e) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    return e;
  });
  auto loader = tg::data::make_data_loader(Counting(4).map(slow).map(transforms::Stack<>()),
                                           DataLoaderOptions(2).workers(1).timeout(std::chrono::milliseconds(10)));
  CHECK_THROWS_WITH_AS(loader->begin(), doctest::Contains("timed out after 10 ms"), tg::Error);
}

TEST_CASE("datasets::MNIST: LibTorch's modes, tapegrad's validation split, values against the IDX files") {
  using tg::data::datasets::MNIST;
  const std::string root = tgtest::require_dataset("MNIST", tg::data::mnist_dir());
  MNIST train(root);
  CHECK(train.size() == std::optional<std::size_t>(60000));
  CHECK(train.is_train());
  CHECK(MNIST(root, MNIST::Mode::kTest).size() == std::optional<std::size_t>(10000));
  MNIST without_valid(root, MNIST::Mode::kTrainWithoutValidation);
  MNIST valid(root, MNIST::Mode::kValidation);
  CHECK(without_valid.size() == std::optional<std::size_t>(50000));
  CHECK(valid.size() == std::optional<std::size_t>(10000));

  auto raw = [&](const std::string& name) {
    const std::string path = root + "/" + name;
    return tg::data::read_idx(std::filesystem::exists(path) ? path : path + ".gz");
  };
  const tg::data::IdxArray images = raw("train-images-idx3-ubyte"), labels = raw("train-labels-idx1-ubyte");
  auto check_row = [&](MNIST& d, std::size_t index, std::size_t row) {
    CAPTURE(row);
    const Example<> e = d.get(index);
    CHECK(e.data.scalar_type() == tg::kFloat);
    CHECK(e.data.sizes() == tg::IntArrayRef({1, 28, 28}));
    CHECK(e.target.scalar_type() == tg::kLong);
    CHECK(e.target.dim() == 0);
    CHECK(e.target.item<std::int64_t>() == labels.data[row]);
    const std::vector<float> px = values_of(e.data);
    for (std::size_t k = 0; k < 784; ++k) REQUIRE(px[k] == float(images.data[row * 784 + k]) / 255.0f);
  };
  CHECK(train.get(0).target.item<std::int64_t>() == 5);
  check_row(train, 0, 0);
  check_row(train, 59999, 59999);
  check_row(without_valid, 49999, 49999);
  check_row(valid, 0, 50000);
  const std::vector<float> first = values_of(train.get(0).data);
  CHECK(*std::max_element(first.begin(), first.end()) == 1.0f);
  CHECK(train.targets().sizes() == tg::IntArrayRef({60000}));
  CHECK(valid.images().sizes() == tg::IntArrayRef({10000, 1, 28, 28}));
  CHECK(values_of(valid.images()).front() == values_of(valid.get(0).data).front());
  CHECK_THROWS_WITH_AS(valid.get(10000), doctest::Contains("index 10000 is out of range (expected < 10000)"), tg::Error);

  // LibTorch's example: Normalize in [0, 1] units, Stack, batches of 64 from 2 workers.
  auto loader = tg::data::make_data_loader(
      MNIST(root).map(transforms::Normalize<>(0.1307, 0.3081)).map(transforms::Stack<>()),
      DataLoaderOptions().batch_size(64).workers(2));
  std::size_t batches = 0, examples = 0;
  for (auto& batch : *loader) {
    ++batches;
    examples += static_cast<std::size_t>(batch.target.size(0));
    CHECK(batch.data.size(0) == batch.target.size(0));
  }
  CHECK(batches == 938);
  CHECK(examples == 60000);

  // Upstream's test loader as it is written: an int64_t batch size, a const reference per batch.
  const std::int64_t kTestBatchSize = 1000;
  auto test_dataset = MNIST(root, MNIST::Mode::kTest)
                          .map(transforms::Normalize<>(0.1307, 0.3081))
                          .map(transforms::Stack<>());
  const std::size_t test_dataset_size = test_dataset.size().value();
  auto test_loader = tg::data::make_data_loader<samplers::SequentialSampler>(std::move(test_dataset), kTestBatchSize);
  std::vector<std::int64_t> targets;
  for (const auto& batch : *test_loader) {
    CHECK(batch.data.sizes() == tg::IntArrayRef({1000, 1, 28, 28}));
    const std::vector<std::int64_t> t = labels_of(batch.target);
    targets.insert(targets.end(), t.begin(), t.end());
  }
  CHECK(test_dataset_size == 10000);
  CHECK(targets == labels_of(MNIST(root, MNIST::Mode::kTest).targets()));
}

TEST_CASE("datasets::MNIST: a root without the files is a tg::Error naming the path") {
  CHECK_THROWS_WITH_AS(tg::data::datasets::MNIST("/nonexistent/mnist-root"),
                       doctest::Contains("/nonexistent/mnist-root: found neither train-images-idx3-ubyte"), tg::Error);
  CHECK_THROWS_WITH_AS(tg::data::datasets::MNIST("/nonexistent/mnist-root", tg::data::datasets::MNIST::Mode::kTest),
                       doctest::Contains("t10k-images-idx3-ubyte"), tg::Error);
}

namespace {

template <class S>
std::vector<std::size_t> drain(S& sampler, std::size_t batch_size) {
  std::vector<std::size_t> all;
  while (auto batch = sampler.next(batch_size)) {
    CHECK(batch->size() <= batch_size);
    all.insert(all.end(), batch->begin(), batch->end());
  }
  return all;
}

}  // namespace

TEST_CASE("distributed samplers: LibTorch's shares, padding, and the epoch's shuffle") {
  // 10 indices over 3 ranks: 4 each, the order's first two repeated to fill the last share.
  std::multiset<std::size_t> all;
  std::vector<std::vector<std::size_t>> shares;
  for (std::size_t rank = 0; rank < 3; ++rank) {
    samplers::DistributedRandomSampler s(10, 3, rank);
    s.set_epoch(4);
    s.reset();
    shares.push_back(drain(s, 3));
    CHECK(shares.back().size() == 4);
    all.insert(shares.back().begin(), shares.back().end());
  }
  for (std::size_t i = 0; i < 10; ++i) CHECK(all.count(i) == (i < 2 ? 2u : 1u));
  // LibTorch 1.13's DistributedRandomSampler(10, 3, rank) at epoch 4 hands out exactly these (printed
  // by a program built against Debian's libtorch-dev; both shuffle with std::mt19937(epoch)).
  CHECK(shares == std::vector<std::vector<std::size_t>>{{0, 7, 4, 2}, {1, 3, 1, 9}, {8, 0, 6, 5}});
  samplers::DistributedRandomSampler again(10, 3, 1);
  again.set_epoch(4);
  again.reset();
  CHECK(drain(again, 4) == shares[1]);  // the same epoch draws the same order
  again.set_epoch(5);
  again.reset();
  CHECK(drain(again, 4) != shares[1]);

  // Without duplicates: floor(10 / 3) = 3 each, index 9 left out (as LibTorch's).
  std::set<std::size_t> distinct;
  for (std::size_t rank = 0; rank < 3; ++rank) {
    samplers::DistributedRandomSampler s(10, 3, rank, /*allow_duplicates=*/false);
    const std::vector<std::size_t> share = drain(s, 2);
    CHECK(share.size() == 3);
    distinct.insert(share.begin(), share.end());
  }
  CHECK(distinct.size() == 9);
  CHECK(distinct.count(9) == 0);
  samplers::DistributedRandomSampler libtorch_case(25, 3, 1, /*allow_duplicates=*/false);  // epoch 0
  CHECK(drain(libtorch_case, 7) == std::vector<std::size_t>{22, 10, 3, 18, 21, 20, 7, 8});  // LibTorch's, as above
  samplers::DistributedRandomSampler one(10, 1, 0);
  std::vector<std::size_t> every = drain(one, 4);
  CHECK(drain(one, 4).empty());  // until reset()
  std::sort(every.begin(), every.end());
  CHECK(every == std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});

  samplers::DistributedSequentialSampler last(10, 3, 2);
  CHECK(last.next(3) == std::vector<std::size_t>{8, 9, 0});
  CHECK(last.next(3) == std::vector<std::size_t>{1});
  CHECK_FALSE(last.next(3).has_value());
  last.reset();
  CHECK(last.next(10) == std::vector<std::size_t>{8, 9, 0, 1});
  samplers::DistributedSequentialSampler first(10, 3, 0);
  CHECK(first.next(10) == std::vector<std::size_t>{0, 1, 2, 3});

  CHECK_THROWS_WITH_AS(samplers::DistributedRandomSampler(10, 2, 2), doctest::Contains("rank < num_replicas"),
                       tg::Error);
  CHECK_THROWS_AS(samplers::DistributedSequentialSampler(10, 0, 0), tg::Error);

  // Through a loader: rank 1 of 2 gets its half of the epoch's order, in batches.
  samplers::DistributedRandomSampler half(25, 2, 1);
  const std::vector<std::size_t> expected = drain(half, 5);
  auto loader = tg::data::make_data_loader(Counting(25).map(transforms::Stack<>()), samplers::DistributedRandomSampler(25, 2, 1),
                                           DataLoaderOptions(5).workers(2));
  std::vector<std::size_t> got;
  for (auto& batch : *loader)
    for (std::int64_t t : labels_of(batch.target)) got.push_back(static_cast<std::size_t>(t));
  CHECK(got == expected);
  CHECK(got.size() == 13);
}
