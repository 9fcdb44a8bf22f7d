// The LibTorch half of bench_mnist: the same epoch (model, batch size, SGD settings, data order
// policy) through LibTorch 1.13, so the two can be timed in one process run. Kept apart from
// tapegrad code so that LibTorch's headers compile only in libtorch_peer.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace peer {

struct Data {
  const std::uint8_t* train_images;  // n_train x 784, row-major
  const std::uint8_t* train_labels;
  std::size_t n_train;
  const std::uint8_t* valid_images;
  const std::uint8_t* valid_labels;
  std::size_t n_valid;
  float mean, std;  // normalisation, from the training split
};

struct EpochResult {
  double seconds;         // the training epoch alone (no evaluation)
  double train_loss;      // mean over the epoch's batches
  double valid_accuracy;  // after the epoch
};

// Trains model "mlp" or "cnn" for one epoch (batch `batch`, SGD lr/momentum, shuffled with `seed`)
// with `threads` threads for both LibTorch's pool and its BLAS, then evaluates.
EpochResult libtorch_epoch(const std::string& model, const Data& data, int batch, double lr, double momentum,
                           int threads, std::uint64_t seed);

// The walkthrough's forward_and_backward (784-50-1, ReLU, MSE against the digit as a float, Kaiming
// init) on n rows of normalised images x (n x 784): the median milliseconds of `repeat` runs, with x
// requiring grad (as in the walkthrough) or not.
double libtorch_forward_backward_ms(const float* x, const float* digits, std::size_t n, bool input_grad, int repeat,
                                    int threads);

// One torch::conv2d layer (batch n, c -> o channels, square kernel/stride/padding on h x h images),
// forward then backward from a gradient of ones, as in training (weight and bias need gradients; the
// input only if input_grad): the median microseconds of each over `repeat` runs.
struct ConvTimes {
  double forward_us, backward_us;
};
ConvTimes libtorch_conv2d_us(int n, int c, int o, int h, int kernel, int stride, int padding, bool input_grad,
                             int repeat, int threads);

// LibTorch's MNIST pipeline as upstream's example builds it: datasets::MNIST(root) (the 60000
// training images), Normalize<>(0.1307, 0.3081), Stack<>, make_data_loader with a RandomSampler,
// batch 64 and `workers` threads. epoch_ms() times one epoch of its batches (nothing trains).
class MnistPipeline {
 public:
  MnistPipeline(const std::string& root, std::size_t workers);
  ~MnistPipeline();
  double epoch_ms();

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace peer
