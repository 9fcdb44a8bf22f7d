#include <tapegrad/data/mnist_dataset.hpp>

#include <algorithm>
#include <cstdint>
#include <string>

#include <tapegrad/data/mnist.hpp>

namespace tg::data::datasets {
namespace {

// pixel / 255 as float, as LibTorch's MNIST (a byte tensor converted, then divided).
void to_unit_range(const std::uint8_t* src, std::size_t n, float* dst) {
  for (std::size_t k = 0; k < n; ++k) dst[k] = static_cast<float>(src[k]) / 255.0f;
}

}  // namespace

MNIST::MNIST(const std::string& root, Mode mode) : mode_(mode) {
  auto file = std::make_shared<tg::data::Dataset>(read_mnist_files(root, mode == Mode::kTest ? "t10k" : "train"));
  const std::size_t n = file->size();
  begin_ = 0;
  end_ = n;
  if (mode == Mode::kTrainWithoutValidation || mode == Mode::kValidation) {
    if (n <= kMnistValidationRows)
      throw Error("MNIST: " + root + ": cannot hold out " + std::to_string(kMnistValidationRows) +
                  " validation rows from a training file of " + std::to_string(n) + " (expected more rows)");
    (mode == Mode::kValidation ? begin_ : end_) = n - kMnistValidationRows;
  }
  file_ = std::move(file);
}

Example<> MNIST::get(std::size_t index) {
  if (index >= end_ - begin_)
    throw Error("MNIST::get: index " + std::to_string(index) + " is out of range (expected < " +
                std::to_string(end_ - begin_) + ")");
  const std::size_t row = begin_ + index, px = file_->pixels();
  Array<float> image = Array<float>::from_shape({1, file_->rows, file_->cols});
  to_unit_range(file_->images.data() + row * px, px, image.data());
  Array<std::int64_t> target = Array<std::int64_t>::from_shape({});
  target() = file_->labels[row];
  return {Tensor(std::move(image)), Tensor(std::move(target))};
}

Tensor MNIST::images() const {
  const std::size_t n = end_ - begin_, px = file_->pixels();
  Array<float> all = Array<float>::from_shape({n, 1, file_->rows, file_->cols});
  to_unit_range(file_->images.data() + begin_ * px, n * px, all.data());
  return Tensor(std::move(all));
}

Tensor MNIST::targets() const {
  Array<std::int64_t> all = Array<std::int64_t>::from_shape({end_ - begin_});
  std::copy(file_->labels.begin() + static_cast<std::ptrdiff_t>(begin_),
            file_->labels.begin() + static_cast<std::ptrdiff_t>(end_), all.data());
  return Tensor(std::move(all));
}

}  // namespace tg::data::datasets
