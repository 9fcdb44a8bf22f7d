// tg::data::transforms::Normalize: (data - mean) / stddev, as LibTorch's transforms::Normalize, with
// one mean and stddev for all values or one per channel (dim -3 of the data: C of (C, H, W)):
//
//   dataset.map(tg::data::transforms::Normalize<>(0.1307, 0.3081))            // MNIST, in [0, 1] units
//   dataset.map(tg::data::transforms::Normalize<>({0.49, 0.48, 0.45}, {0.25, 0.24, 0.26}))
//
// A Float input gives Float (mean and stddev rounded to float, as LibTorch's); a Double input is
// computed in double with the exact values (LibTorch rounds them to float first); an integer input
// is converted to Float first, as LibTorch's type promotion does. One pass, into the input's own
// buffer when no other handle shares it (a dataset's fresh example), else into a new one; an input
// that requires grad goes through the differentiable ops instead. Unlike LibTorch, a single mean
// never adds leading dims (LibTorch's (1, 1, 1)-shaped mean turns data of shape (784,) into
// (1, 1, 784)).
#pragma once

#include <vector>

#include <tapegrad/core/tensor.hpp>
#include <tapegrad/data/tensor_transform.hpp>

namespace tg::data::transforms {
namespace detail {

// Throws tg::Error unless mean and stddev have the same, non-zero length and every stddev is > 0
// and finite (a zero would divide silently into inf).
void check_normalize_arguments(const std::vector<double>& mean, const std::vector<double>& stddev);
// (input - mean) / stddev, per channel of dim -3 when mean has more than one value; in place when
// `input` is the only handle on its buffer and does not require grad.
Tensor normalize(Tensor input, const std::vector<double>& mean, const std::vector<double>& stddev);

}  // namespace detail

template <class Target = Tensor>
class Normalize : public TensorTransform<Target> {
 public:
  Normalize(double mean, double stddev) : Normalize(std::vector<double>{mean}, std::vector<double>{stddev}) {}
  Normalize(std::vector<double> mean, std::vector<double> stddev) : mean_(std::move(mean)), stddev_(std::move(stddev)) {
    detail::check_normalize_arguments(mean_, stddev_);
  }

  Tensor operator()(Tensor input) override { return detail::normalize(std::move(input), mean_, stddev_); }

 private:
  std::vector<double> mean_, stddev_;
};

}  // namespace tg::data::transforms
