#include <algorithm>
#include <numeric>

#include "check.hpp"

using tg::data::Batch;
using tg::data::DataLoader;
using tg::data::ImageLoaderOptions;
using tg::data::Dataset;

namespace {

// n images of 1x2 pixels: image i is {i, i + 1} (mod 256) and has label i; mean 10, std 2.
Dataset tiny(std::size_t n) {
  Dataset d;
  d.rows = 1;
  d.cols = 2;
  d.mean = 10.0;
  d.std = 2.0;
  for (std::size_t i = 0; i < n; ++i) {
    d.images.push_back(static_cast<std::uint8_t>(i));
    d.images.push_back(static_cast<std::uint8_t>(i + 1));
    d.labels.push_back(static_cast<std::int64_t>(i));
  }
  return d;
}

ImageLoaderOptions options(std::size_t batch_size, bool shuffle, std::uint64_t seed = 1) {
  ImageLoaderOptions o;
  o.batch_size = batch_size;
  o.shuffle = shuffle;
  o.seed = seed;
  return o;
}

// One epoch's labels in the order the loader gave them.
std::vector<std::int64_t> epoch_order(DataLoader& loader) {
  std::vector<std::int64_t> order;
  for (const Batch& b : loader) {
    const tg::Labels& y = b.target.value<std::int64_t>();
    order.insert(order.end(), y.begin(), y.end());
  }
  return order;
}

}  // namespace

TEST_CASE("DataLoader: batch shapes, the last partial batch, drop_last, flatten") {
  const Dataset d = tiny(5);
  DataLoader loader(d, options(2, true));
  CHECK(loader.size() == 3);
  std::vector<tg::Shape> shapes;
  for (const Batch& b : loader) {
    shapes.push_back(b.data.shape());
    // LibTorch's Example after Stack<>: Float data without grad, Long targets, one per row.
    CHECK(b.data.scalar_type() == tg::kFloat);
    CHECK(b.target.scalar_type() == tg::kLong);
    CHECK(b.target.shape() == tg::Shape{b.data.shape()[0]});
    CHECK_FALSE(b.data.requires_grad());
  }
  CHECK(shapes == std::vector<tg::Shape>{{2, 1, 1, 2}, {2, 1, 1, 2}, {1, 1, 1, 2}});

  auto o = options(2, true);
  o.drop_last = true;
  o.flatten = true;
  DataLoader dropping(d, o);
  CHECK(dropping.size() == 2);
  shapes.clear();
  for (const Batch& b : dropping) shapes.push_back(b.data.shape());
  CHECK(shapes == std::vector<tg::Shape>{{2, 2}, {2, 2}});

  CHECK(DataLoader(d, options(5, true)).size() == 1);
  CHECK(DataLoader(d, options(7, true)).size() == 1);
  o.batch_size = 7;
  CHECK(DataLoader(d, o).size() == 0);  // drop_last with a batch larger than the data
}

TEST_CASE("DataLoader: every sample exactly once per epoch, normalised as (pixel - mean) / std") {
  const Dataset d = tiny(5);
  DataLoader loader(d, options(2, true));
  for (int epoch = 0; epoch < 3; ++epoch) {
    std::vector<std::int64_t> seen;
    for (const Batch& b : loader) {
      for (std::int64_t r = 0; r < b.target.numel(); ++r) {
        const std::int64_t i = b.target.data_ptr<std::int64_t>()[r];
        seen.push_back(i);
        // Image i is {i, i + 1}: normalised ((i - 10) / 2, (i - 9) / 2); e.g. image 3 -> (-3.5, -3).
        const float* x = b.data.data_ptr<float>() + 2 * r;
        CHECK(x[0] == doctest::Approx((i - 10) / 2.0));
        CHECK(x[1] == doctest::Approx((i - 9) / 2.0));
      }
    }
    std::sort(seen.begin(), seen.end());
    CHECK(seen == std::vector<std::int64_t>{0, 1, 2, 3, 4});
  }
}

TEST_CASE("DataLoader: normalisation of the extreme and middle byte values, by hand") {
  Dataset d;
  d.rows = 2;
  d.cols = 2;
  d.images = {0, 255, 128, 112};
  d.labels = {7};
  d.mean = 33.0;
  d.std = 78.5;
  auto o = options(1, false);
  o.flatten = true;
  DataLoader loader(d, o);
  const Batch b = loader.batch(0);
  // (0 - 33) / 78.5, (255 - 33) / 78.5, (128 - 33) / 78.5, (112 - 33) / 78.5
  CHECK(tgtest::allclose(b.data.value<float>(), tg::Array<float>{{-0.420382f, 2.828025f, 1.210191f, 1.006369f}}));
  CHECK(b.target.item<std::int64_t>() == 7);
}

TEST_CASE("DataLoader: without shuffle, the dataset's order in every epoch") {
  const Dataset d = tiny(5);
  DataLoader loader(d, options(2, false));
  for (int epoch = 0; epoch < 2; ++epoch) CHECK(epoch_order(loader) == std::vector<std::int64_t>{0, 1, 2, 3, 4});
}

TEST_CASE("DataLoader: the same seed gives the same orders, each epoch a different one") {
  const Dataset d = tiny(100);
  DataLoader a(d, options(16, true, 42)), b(d, options(16, true, 42)), c(d, options(16, true, 43));
  const auto a1 = epoch_order(a), a2 = epoch_order(a);
  CHECK(a1 == epoch_order(b));
  CHECK(a2 == epoch_order(b));
  CHECK(a1 != a2);
  CHECK(a1 != epoch_order(c));
  std::vector<std::int64_t> identity(100);
  std::iota(identity.begin(), identity.end(), 0);
  CHECK(a1 != identity);
}

TEST_CASE("DataLoader: without a seed, the order follows tg::manual_seed") {
  const Dataset d = tiny(100);
  ImageLoaderOptions o;
  o.batch_size = 10;
  tg::manual_seed(7);
  DataLoader a(d, o);
  tg::manual_seed(7);
  DataLoader b(d, o);
  tg::manual_seed(8);
  DataLoader c(d, o);
  const auto a1 = epoch_order(a);
  CHECK(a1 == epoch_order(b));
  CHECK(a1 != epoch_order(c));
}

TEST_CASE("DataLoader: bad options and inconsistent datasets throw naming DataLoader") {
  Dataset d = tiny(5);
  CHECK_THROWS_WITH_AS(DataLoader(d, options(0, true)), "DataLoader: expected batch_size >= 1, got 0", tg::Error);
  DataLoader loader(d, options(2, true));
  CHECK_THROWS_WITH_AS(loader.batch(3), "DataLoader: batch 3 is out of range (expected < 3 batches per epoch)",
                       tg::Error);
  d.std = 0.0;
  CHECK_THROWS_WITH_AS(DataLoader(d, options(2, true)), doctest::Contains("DataLoader: expected a dataset std > 0"),
                       tg::Error);
  d.std = 1.0;
  d.labels.pop_back();
  CHECK_THROWS_WITH_AS(DataLoader(d, options(2, true)),
                       "DataLoader: expected 4 images of 1x2 = 8 pixels (one per label), got 10", tg::Error);
}

TEST_CASE("Dataset::head copies the first rows and keeps the normalisation") {
  tg::data::Dataset d{{1, 2, 3, 4, 5, 6}, {7, 8, 9}, 1, 2, 3.5, 1.5};
  const auto h = d.head(2);
  CHECK(h.images == std::vector<std::uint8_t>{1, 2, 3, 4});
  CHECK(h.labels == std::vector<std::int64_t>{7, 8});
  CHECK((h.rows == 1 && h.cols == 2 && h.mean == 3.5 && h.std == 1.5));
  CHECK(d.head(10).size() == 3);
}
