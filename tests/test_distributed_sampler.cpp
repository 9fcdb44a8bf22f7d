// tg::data::DistributedSampler: every sample once per epoch over all ranks, the same steps on every
// rank, and the steps of one process with the whole batch.
#include "check.hpp"

#include <algorithm>

using tg::data::DistributedSampler;

TEST_CASE("DistributedSampler: every sample exactly once per epoch over the ranks, equal step counts") {
  for (std::size_t world : {1, 2, 3, 5})
    for (std::size_t size : {0, 1, 4, 23, 64, 100}) {
      CAPTURE(world);
      CAPTURE(size);
      std::vector<DistributedSampler> ranks;
      for (std::size_t r = 0; r < world; ++r) ranks.emplace_back(size, world, r, 4, 11);
      for (std::size_t epoch : {0, 1}) {
        std::vector<int> seen(size, 0);
        for (auto& s : ranks) s.set_epoch(epoch);
        for (auto& s : ranks) CHECK(s.steps() == ranks[0].steps());
        for (std::size_t step = 0; step < ranks[0].steps(); ++step) {
          std::size_t rows = 0;
          for (auto& s : ranks) {
            const auto r = s.rows(step);
            CHECK(r.size() <= 4);
            rows += r.size();
            for (std::size_t i : r) ++seen[i];
          }
          CHECK(rows == ranks[0].global_rows(step));
        }
        CHECK(std::all_of(seen.begin(), seen.end(), [](int n) { return n == 1; }));
      }
    }
}

TEST_CASE("DistributedSampler: 2 ranks of 32 split the batches of 1 process of 64, epochs differ") {
  DistributedSampler one(1000, 1, 0, 64, 5), r0(1000, 2, 0, 32, 5), r1(1000, 2, 1, 32, 5);
  REQUIRE(one.steps() == r0.steps());
  for (std::size_t step = 0; step < one.steps(); ++step) {
    auto both = r0.rows(step);
    const auto second = r1.rows(step);
    both.insert(both.end(), second.begin(), second.end());
    CHECK(both == one.rows(step));
  }
  const auto first = one.rows(0);
  one.set_epoch(1);
  CHECK(one.rows(0) != first);
  CHECK_THROWS_WITH_AS(DistributedSampler(10, 2, 2, 4, 0),
                       "DistributedSampler: expected num_replicas >= 1, batch_size >= 1 and rank < num_replicas, got "
                       "num_replicas 2, batch_size 4, rank 2",
                       tg::Error);
  CHECK_THROWS_WITH_AS(one.rows(one.steps()), "DistributedSampler: step 16 is out of range (expected < 16 steps per epoch)",
                       tg::Error);
}
