// Samplers save and load where they are in an epoch, as LibTorch's (sampler.save(archive),
// sampler.load(archive), under its keys), so a resumed epoch hands out the same batches as an
// uninterrupted one.
#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "check.hpp"

using doctest::Contains;
namespace samplers = tg::data::samplers;
using Batches = std::vector<std::vector<std::size_t>>;

namespace {

Batches drain(samplers::Sampler<>& sampler, std::size_t batch_size) {
  Batches out;
  while (auto batch = sampler.next(batch_size)) out.push_back(*batch);
  return out;
}

// Runs `make()`'s sampler for `before` batches, saves it, and checks that a second sampler (made
// the same way, then moved elsewhere) continues from the file exactly as the first goes on.
template <class Make>
void check_resumes(Make make, std::size_t batch_size, std::size_t before) {
  auto sampler = make();
  for (std::size_t i = 0; i < before; ++i) REQUIRE(sampler.next(batch_size));
  const std::string path = "sampler_resume_test.npz";
  tg::save(sampler, path);
  auto resumed = make();
  for (std::size_t i = 0; i <= before; ++i) resumed.next(batch_size);  // elsewhere in its own epoch
  tg::load(resumed, path);
  std::remove(path.c_str());
  CHECK(resumed.index() == sampler.index());
  const Batches rest = drain(sampler, batch_size);
  CHECK_FALSE(rest.empty());
  CHECK(drain(resumed, batch_size) == rest);
}

}  // namespace

TEST_CASE("RandomSampler: a resumed epoch continues the same order") {
  tg::manual_seed(11);
  samplers::RandomSampler sampler(50);
  for (int i = 0; i < 3; ++i) sampler.next(7);
  const std::string path = "random_sampler_test.npz";
  tg::save(sampler, path);
  // Another permutation, drawn after a different seed: only the file can make it continue alike.
  tg::manual_seed(12);
  samplers::RandomSampler resumed(50);
  tg::load(resumed, path);
  CHECK(resumed.index() == 21);
  CHECK(drain(resumed, 7) == drain(sampler, 7));
  // LibTorch's keys and dtypes, readable by NumPy: "index" a 0-d int64, "indices" (50,) int64.
  const auto entries = tg::npz::read(path);
  std::remove(path.c_str());
  CHECK(entries.at("index").descr == "<i8");
  CHECK(entries.at("index").shape.empty());
  CHECK(entries.at("indices").descr == "<i8");
  CHECK(entries.at("indices").shape == tg::Shape{50});
  // The next epoch of the resumed sampler is a fresh permutation of all 50.
  resumed.reset();
  Batches next_epoch = drain(resumed, 50);
  REQUIRE(next_epoch.size() == 1);
  std::sort(next_epoch[0].begin(), next_epoch[0].end());
  for (std::size_t i = 0; i < 50; ++i) CHECK(next_epoch[0][i] == i);
}

TEST_CASE("SequentialSampler and the distributed samplers resume where they were saved") {
  check_resumes([] { return samplers::SequentialSampler(23); }, 5, 2);
  check_resumes([] {
    samplers::DistributedRandomSampler s(37, 3, 1);
    s.set_epoch(4);
    s.reset();
    return s;
  }, 4, 1);
  check_resumes([] { return samplers::DistributedSequentialSampler(37, 3, 2); }, 4, 2);
  // The epoch travels with a DistributedRandomSampler: its permutation is drawn again from it.
  samplers::DistributedRandomSampler epoch3(40, 2, 0), fresh(40, 2, 0);
  epoch3.set_epoch(3);
  epoch3.reset();
  epoch3.next(6);
  tg::serialize::OutputArchive out;
  epoch3.save(out);
  out.save_to("distributed_sampler_test.npz");
  tg::serialize::InputArchive in;
  in.load_from("distributed_sampler_test.npz");
  std::remove("distributed_sampler_test.npz");
  fresh.load(in);
  CHECK(fresh.epoch() == 3);
  CHECK(drain(fresh, 6) == drain(epoch3, 6));
}

TEST_CASE("Sampler load rejects a state that does not fit, and leaves the sampler as it was") {
  const std::string path = "bad_sampler_test.npz";
  auto write = [&](std::vector<std::pair<std::string, tg::npz::NpyArray>> entries) { tg::npz::write(path, entries); };
  samplers::SequentialSampler seq(10);
  seq.next(3);
  write({{"index", tg::npz::scalar(std::int64_t(11))}});
  CHECK_THROWS_WITH_AS(tg::load(seq, path), Contains("SequentialSampler::load: 'index' is 11, expected 0 to 10"), tg::Error);
  CHECK(seq.index() == 3);
  write({{"index", tg::npz::scalar(2.5)}});
  CHECK_THROWS_WITH_AS(tg::load(seq, path), Contains("'index' must be one int64, got a Double tensor"), tg::Error);
  write({{"other", tg::npz::scalar(std::int64_t(1))}});
  CHECK_THROWS_WITH_AS(tg::load(seq, path), Contains("has no key 'index'"), tg::Error);

  samplers::RandomSampler random(4);
  random.next(1);
  write({{"index", tg::npz::scalar(std::int64_t(0))}, {"indices", tg::npz::array(tg::Array<std::int64_t>{0, 2, 2, 1})}});
  CHECK_THROWS_WITH_AS(tg::load(random, path), Contains("RandomSampler::load: 'indices' is not a permutation of 0..4 - 1 (2"),
                       tg::Error);
  write({{"index", tg::npz::scalar(std::int64_t(5))}, {"indices", tg::npz::array(tg::Array<std::int64_t>{0, 3, 2, 1})}});
  CHECK_THROWS_WITH_AS(tg::load(random, path), Contains("RandomSampler::load: 'index' is 5, expected 0 to 4"), tg::Error);
  CHECK(random.index() == 1);

  samplers::DistributedRandomSampler shard(20, 2, 1);  // this rank's share: positions 10 to 20
  write({{"epoch_", tg::npz::scalar(std::int64_t(1))}, {"sample_index_", tg::npz::scalar(std::int64_t(4))}});
  CHECK_THROWS_WITH_AS(tg::load(shard, path), Contains("DistributedRandomSampler::load: 'sample_index_' is 4, expected 10 to 20"),
                       tg::Error);
  CHECK(shard.epoch() == 0);
  std::remove(path.c_str());
  CHECK_THROWS_WITH_AS(tg::load(seq, path), Contains("bad_sampler_test.npz"), tg::Error);  // no file
}
