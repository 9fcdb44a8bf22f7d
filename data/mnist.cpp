#include <tapegrad/data/mnist.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include <tapegrad/core/array.hpp>
#include <tapegrad/data/idx.hpp>

namespace tg::data {
namespace {

constexpr std::int64_t kClasses = 10;

// `name` in `dir`, raw or with a .gz suffix.
std::string find_file(const std::string& dir, const std::string& name) {
  const std::filesystem::path raw = std::filesystem::path(dir) / name;
  const std::filesystem::path gz = std::filesystem::path(dir) / (name + ".gz");
  if (std::filesystem::is_regular_file(raw)) return raw.string();
  if (std::filesystem::is_regular_file(gz)) return gz.string();
  throw Error("MNIST: " + dir + ": found neither " + name + " nor " + name +
              ".gz (set TAPEGRAD_DATA_DIR to the folder holding mnist/, or run the setup script)");
}

}  // namespace

Dataset read_mnist_files(const std::string& dir, const std::string& prefix) {
  const std::string images_path = find_file(dir, prefix + "-images-idx3-ubyte");
  const std::string labels_path = find_file(dir, prefix + "-labels-idx1-ubyte");
  IdxArray images = read_idx(images_path);
  const IdxArray labels = read_idx(labels_path);
  if (images.dims.size() != 3)
    throw Error("MNIST: " + images_path + ": expected images of dims (N, rows, cols), got dims " +
                shape_str(images.dims));
  if (labels.dims.size() != 1)
    throw Error("MNIST: " + labels_path + ": expected labels of dims (N,), got dims " + shape_str(labels.dims));
  if (images.dims[0] != labels.dims[0])
    throw Error("MNIST: " + dir + ": " + std::to_string(images.dims[0]) + " images in " + images_path + " but " +
                std::to_string(labels.dims[0]) + " labels in " + labels_path + " (expected as many of each)");

  Dataset d;
  d.rows = images.dims[1];
  d.cols = images.dims[2];
  d.images = std::move(images.data);
  d.labels.assign(labels.data.begin(), labels.data.end());
  for (std::size_t i = 0; i < d.labels.size(); ++i)
    if (d.labels[i] >= kClasses)
      throw Error("MNIST: " + labels_path + ": label " + std::to_string(d.labels[i]) + " at row " + std::to_string(i) +
                  " is out of range (expected 0 to " + std::to_string(kClasses - 1) + ")");
  return d;
}

namespace {

// Rows [begin, end) of `from` as a split of their own.
Dataset copy_rows(const Dataset& from, std::size_t begin, std::size_t end) {
  Dataset d;
  d.rows = from.rows;
  d.cols = from.cols;
  d.images.assign(from.images.begin() + begin * from.pixels(), from.images.begin() + end * from.pixels());
  d.labels.assign(from.labels.begin() + begin, from.labels.begin() + end);
  return d;
}

}  // namespace

MNIST::MNIST(const std::string& dir, std::size_t valid_rows) {
  Dataset full = read_mnist_files(dir, "train");
  test_ = read_mnist_files(dir, "t10k");
  if (test_.rows != full.rows || test_.cols != full.cols)
    throw Error("MNIST: " + dir + ": training images are " + std::to_string(full.rows) + "x" +
                std::to_string(full.cols) + " but test images are " + std::to_string(test_.rows) + "x" +
                std::to_string(test_.cols) + " (expected the same size)");
  if (valid_rows >= full.size())
    throw Error("MNIST: " + dir + ": cannot hold out " + std::to_string(valid_rows) +
                " validation rows from a training file of " + std::to_string(full.size()) +
                " (expected valid_rows < that)");

  const std::size_t n_train = full.size() - valid_rows;
  valid_ = copy_rows(full, n_train, full.size());
  train_ = std::move(full);
  train_.images.resize(n_train * train_.pixels());
  train_.labels.resize(n_train);

  // Exact integer sums: 50000 MNIST images give sum(p²) < 2.6e12, far inside uint64.
  std::uint64_t sum = 0, sum_sq = 0;
  for (std::uint8_t p : train_.images) {
    sum += p;
    sum_sq += std::uint64_t{p} * p;
  }
  const double n = static_cast<double>(train_.images.size());
  const double mean = static_cast<double>(sum) / n;
  const double stddev = std::sqrt(std::max(0.0, static_cast<double>(sum_sq) / n - mean * mean));
  if (!(stddev > 0.0))
    throw Error("MNIST: " + dir + ": every training pixel has the value " + std::to_string(mean) +
                ", so the images cannot be normalised (std 0)");
  for (Dataset* d : {&train_, &valid_, &test_}) {
    d->mean = mean;
    d->std = stddev;
  }
}

const Dataset& MNIST::split(Split split) const {
  switch (split) {
    case Split::Train: return train_;
    case Split::Valid: return valid_;
    case Split::Test: return test_;
  }
  throw Error("MNIST: unknown split " + std::to_string(static_cast<int>(split)));
}

std::string default_data_dir() {
  const char* env = std::getenv("TAPEGRAD_DATA_DIR");
  return env && *env ? env : "./.cache/data";
}

std::string mnist_dir() { return default_data_dir() + "/mnist"; }

std::string fashion_mnist_dir() { return "/usr/share/datasets/fashion-mnist"; }

}  // namespace tg::data
