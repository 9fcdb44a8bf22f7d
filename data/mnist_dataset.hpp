// tg::data::datasets::MNIST: MNIST (or Fashion-MNIST: the same files) as LibTorch's datasets::MNIST,
// for the data pipeline:
//
//   auto train = tg::data::datasets::MNIST(tg::data::mnist_dir())             // all 60000 images
//                    .map(tg::data::transforms::Normalize<>(0.1307, 0.3081))
//                    .map(tg::data::transforms::Stack<>());
//
// `root` is the folder holding the four IDX files (raw or .gz; data/mnist.hpp), e.g.
// tg::data::mnist_dir() = $TAPEGRAD_DATA_DIR/mnist. An example's data is a Float tensor of shape
// (1, 28, 28) with the pixels in [0, 1] (pixel / 255, as LibTorch), its target a 0-dim Long tensor.
//
// Modes: kTrain (the 60000 training images) and kTest (the 10000 t10k images) are LibTorch's. Two
// more give tapegrad's validation split, the one the trainers use (tg::data::MNIST, Split::Train and
// Split::Valid): kTrainWithoutValidation, the training file's first 50000 images, and kValidation,
// its last 10000 (kMnistValidationRows).
//
// The pixels stay bytes in memory, shared by every copy of the dataset (a data loader's workers each
// hold one); get() converts one image.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include <tapegrad/core/tensor.hpp>
#include <tapegrad/data/dataset.hpp>
#include <tapegrad/data/dataset_base.hpp>

namespace tg::data::datasets {

class MNIST : public Dataset<MNIST> {
 public:
  enum class Mode { kTrain, kTest, kTrainWithoutValidation, kValidation };

  // Reads the mode's files under `root`; throws tg::Error naming the path when a file is missing
  // or malformed (read_mnist_files).
  explicit MNIST(const std::string& root, Mode mode = Mode::kTrain);

  // Example `index`; throws tg::Error when index >= size().
  Example<> get(std::size_t index) override;
  std::optional<std::size_t> size() const override { return end_ - begin_; }

  // Any mode but kTest.
  bool is_train() const noexcept { return mode_ != Mode::kTest; }
  Mode mode() const noexcept { return mode_; }
  // Every image, (N, 1, 28, 28) Float in [0, 1], and every target, (N,) Long: new tensors.
  Tensor images() const;
  Tensor targets() const;

 private:
  std::shared_ptr<const tg::data::Dataset> file_;  // the whole IDX file pair
  std::size_t begin_, end_;                         // this mode's rows of it
  Mode mode_;
};

}  // namespace tg::data::datasets
