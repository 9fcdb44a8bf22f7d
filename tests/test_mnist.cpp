#include <algorithm>
#include <cmath>
#include <filesystem>

#include "check.hpp"
#include "data_fixtures.hpp"

using tg::data::Dataset;
using tg::data::MNIST;
using tg::data::Split;
using tgtest::Bytes;
using tgtest::idx_bytes;

namespace {

// A tiny MNIST-style directory: 5 training images of 2x2 (raw files), 2 test images (gzipped).
// With 2 validation rows, Train holds images {1,1,1,1}, {3,3,3,3}, {1,3,1,3}: six 1s and six 3s,
// so mean 2 and std 1; the validation pixels (200, 250) must not count.
struct TinyMnist {
  tgtest::TempDir dir;
  Bytes train_images{1, 1, 1, 1, 3, 3, 3, 3, 1, 3, 1, 3, 200, 200, 200, 200, 250, 250, 250, 250};
  Bytes train_labels{0, 1, 2, 3, 9};

  TinyMnist() {
    write_train();
    tgtest::write_gz(dir / "t10k-images-idx3-ubyte.gz", idx_bytes({2, 2, 2}, {255, 255, 255, 255, 0, 0, 0, 0}));
    tgtest::write_gz(dir / "t10k-labels-idx1-ubyte.gz", idx_bytes({2}, {5, 6}));
  }
  void write_train() {
    tgtest::write_bytes(dir / "train-images-idx3-ubyte",
                        idx_bytes({static_cast<std::uint8_t>(train_images.size() / 4), 2, 2}, train_images));
    tgtest::write_bytes(dir / "train-labels-idx1-ubyte",
                        idx_bytes({static_cast<std::uint8_t>(train_labels.size())}, train_labels));
  }
};

void check_mnist_error(const std::string& dir, std::size_t valid_rows, const std::string& message) {
  CAPTURE(message);
  CHECK_THROWS_WITH_AS(MNIST(dir, valid_rows), doctest::Contains(message.c_str()), tg::Error);
}

}  // namespace

TEST_CASE("MNIST: splits of a tiny dataset, raw and gzipped files, train-only normalisation") {
  TinyMnist f;
  const MNIST mnist(f.dir.str(), 2);
  const Dataset& train = mnist.split(Split::Train);
  const Dataset& valid = mnist.split(Split::Valid);
  const Dataset& test = mnist.split(Split::Test);
  CHECK(train.size() == 3);
  CHECK(valid.size() == 2);
  CHECK(test.size() == 2);
  CHECK(train.images == Bytes{1, 1, 1, 1, 3, 3, 3, 3, 1, 3, 1, 3});
  CHECK(train.labels == std::vector<std::int64_t>{0, 1, 2});
  CHECK(valid.images == Bytes{200, 200, 200, 200, 250, 250, 250, 250});
  CHECK(valid.labels == std::vector<std::int64_t>{3, 9});
  CHECK(test.labels == std::vector<std::int64_t>{5, 6});
  for (const Dataset* d : {&train, &valid, &test}) {
    CHECK(d->rows == 2);
    CHECK(d->cols == 2);
    CHECK(d->mean == doctest::Approx(2.0));
    CHECK(d->std == doctest::Approx(1.0));
  }
}

TEST_CASE("MNIST: inconsistent or missing files throw, naming the directory or file") {
  SUBCASE("image and label counts differ") {
    TinyMnist f;
    f.train_labels.pop_back();
    f.write_train();
    check_mnist_error(f.dir.str(), 2, "MNIST: " + f.dir.str() + ": 5 images in " + (f.dir / "train-images-idx3-ubyte") +
                                          " but 4 labels in " + (f.dir / "train-labels-idx1-ubyte"));
  }
  SUBCASE("a label of 10") {
    TinyMnist f;
    f.train_labels[3] = 10;
    f.write_train();
    check_mnist_error(f.dir.str(), 2,
                      "MNIST: " + (f.dir / "train-labels-idx1-ubyte") + ": label 10 at row 3 is out of range (expected 0 to 9)");
  }
  SUBCASE("a missing file") {
    TinyMnist f;
    std::filesystem::remove(f.dir / "t10k-images-idx3-ubyte.gz");
    check_mnist_error(f.dir.str(), 2, "MNIST: " + f.dir.str() + ": found neither t10k-images-idx3-ubyte nor t10k-images-idx3-ubyte.gz");
  }
  SUBCASE("images of rank 2") {
    TinyMnist f;
    tgtest::write_bytes(f.dir / "train-images-idx3-ubyte", idx_bytes({5, 4}, f.train_images));
    check_mnist_error(f.dir.str(), 2, "expected images of dims (N, rows, cols), got dims (5, 4)");
  }
  SUBCASE("test images of another size") {
    TinyMnist f;
    tgtest::write_gz(f.dir / "t10k-images-idx3-ubyte.gz", idx_bytes({2, 1, 4}, Bytes(8, 0)));
    check_mnist_error(f.dir.str(), 2, "training images are 2x2 but test images are 1x4");
  }
  SUBCASE("more validation rows than the training file has") {
    TinyMnist f;
    check_mnist_error(f.dir.str(), 5, "cannot hold out 5 validation rows from a training file of 5");
  }
  SUBCASE("training pixels all alike") {
    TinyMnist f;
    std::fill(f.train_images.begin(), f.train_images.end(), 7);
    f.write_train();
    check_mnist_error(f.dir.str(), 2, "every training pixel has the value 7");
  }
  SUBCASE("a corrupt file: read_idx's error, naming the file") {
    TinyMnist f;
    tgtest::write_bytes(f.dir / "train-labels-idx1-ubyte", idx_bytes({5}, {1, 2}));
    check_mnist_error(f.dir.str(), 2, "read_idx: " + (f.dir / "train-labels-idx1-ubyte") + ": truncated");
  }
}

TEST_CASE("default_data_dir: $TAPEGRAD_DATA_DIR, else ./.cache/data") {
  const char* old = std::getenv("TAPEGRAD_DATA_DIR");
  const std::string saved = old ? old : "";
  setenv("TAPEGRAD_DATA_DIR", "/some/where", 1);
  CHECK(tg::data::default_data_dir() == "/some/where");
  CHECK(tg::data::mnist_dir() == "/some/where/mnist");
  unsetenv("TAPEGRAD_DATA_DIR");
  CHECK(tg::data::default_data_dir() == "./.cache/data");
  CHECK(tg::data::fashion_mnist_dir() == "/usr/share/datasets/fashion-mnist");
  if (old) setenv("TAPEGRAD_DATA_DIR", saved.c_str(), 1);
}

namespace {

// The real datasets: 50000/10000/10000 rows of 28x28, every class present, the known first labels,
// and the train split's raw-pixel mean and std (reference figures computed independently with
// Python over the first 50000 training images; the widely quoted 0.1307/0.3081 are over all 60000).
void check_real(const std::string& dir, double mean, double std, std::vector<std::int64_t> first_labels) {
  const MNIST data(dir);
  const Dataset& train = data.split(Split::Train);
  const Dataset& valid = data.split(Split::Valid);
  const Dataset& test = data.split(Split::Test);
  CHECK(train.size() == 50000);
  CHECK(valid.size() == 10000);
  CHECK(test.size() == 10000);
  for (const Dataset* d : {&train, &valid, &test}) {
    CHECK(d->rows == 28);
    CHECK(d->cols == 28);
    CHECK(d->images.size() == d->size() * 784);
    CHECK(*std::max_element(d->labels.begin(), d->labels.end()) == 9);
    CHECK(*std::min_element(d->labels.begin(), d->labels.end()) == 0);
    CHECK(d->mean == train.mean);
    CHECK(d->std == train.std);
  }
  CHECK(train.mean == doctest::Approx(mean).epsilon(1e-4));
  CHECK(train.std == doctest::Approx(std).epsilon(1e-4));
  CHECK(train.labels[0] == first_labels[0]);
  CHECK(valid.labels[0] == first_labels[1]);
  CHECK(test.labels[0] == first_labels[2]);

  // One pass of the loader over the test split: 157 batches, every image once.
  tg::data::DataLoader loader(test);
  CHECK(loader.size() == 157);
  std::vector<std::int64_t> counts(10, 0), expected(10, 0);
  for (std::int64_t y : test.labels) ++expected[static_cast<std::size_t>(y)];
  std::size_t rows = 0;
  for (const tg::data::Batch& b : loader) {
    rows += static_cast<std::size_t>(b.target.numel());
    for (std::int64_t y : b.target.value<std::int64_t>()) ++counts[static_cast<std::size_t>(y)];
  }
  CHECK(rows == 10000);
  CHECK(counts == expected);
}

}  // namespace

TEST_CASE("MNIST: the real dataset ($TAPEGRAD_DATA_DIR/mnist)") {
  check_real(tgtest::require_dataset("MNIST", tg::data::mnist_dir()), 33.395129, 78.666197, {5, 3, 7});
}

TEST_CASE("MNIST: the real Fashion-MNIST (Debian's dataset-fashion-mnist)") {
  check_real(tgtest::require_dataset("Fashion-MNIST", tg::data::fashion_mnist_dir()), 72.802222, 89.960030, {9, 9, 9});
}
