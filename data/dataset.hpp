// tg::data::Dataset: an image-classification split held as raw bytes, the one type the loaders fill
// and the DataLoader and the examples read. Pixels stay uint8 in memory (a quarter of float's size);
// the DataLoader normalises only the rows of each batch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tg::data {

struct Dataset {
  std::vector<std::uint8_t> images;  // size() × rows × cols raw pixels in 0..255, row-major
  std::vector<std::int64_t> labels;  // one class index per image
  std::size_t rows = 0, cols = 0;
  // Mean and (population) standard deviation of the raw pixels of the TRAINING split, used to
  // normalise every split alike: the network sees (pixel - mean) / std.
  double mean = 0.0, std = 1.0;

  std::size_t size() const { return labels.size(); }
  std::size_t pixels() const { return rows * cols; }  // per image

  // A copy of the first min(n, size()) images and labels, with the same normalisation.
  Dataset head(std::size_t n) const {
    n = n < size() ? n : size();
    return {std::vector<std::uint8_t>(images.begin(), images.begin() + static_cast<std::ptrdiff_t>(n * pixels())),
            std::vector<std::int64_t>(labels.begin(), labels.begin() + static_cast<std::ptrdiff_t>(n)),
            rows, cols, mean, std};
  }
};

}  // namespace tg::data
