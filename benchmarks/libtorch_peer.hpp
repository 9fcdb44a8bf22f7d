// The LibTorch half of bench_mnist: the same epoch (model, batch size, SGD settings, data order
// policy) through LibTorch 1.13, so the two can be timed in one process run. Kept apart from
// tapegrad code so that LibTorch's headers compile only in libtorch_peer.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

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

// LibTorch's cost of a recorded op, as bench_core times tapegrad's: a chain of `chain` ops
// (y = y * c + 1, on a 4-float tensor that requires grad), backward from ones, the gradient zeroed;
// the mean µs per step over `reps` steps, one timed run a call (so a benchmark can alternate with it).
// Runs on one thread.
double libtorch_op_chain_us(int chain, int reps);

// The walkthrough's forward_and_backward (784-50-1, ReLU, MSE against the digit as a float, Kaiming
// init) on n rows of normalised images x (n x 784): the median milliseconds of `repeat` runs, with x
// requiring grad (as in the walkthrough) or not.
double libtorch_forward_backward_ms(const float* x, const float* digits, std::size_t n, bool input_grad, int repeat,
                                    int threads);

// One torch::conv2d layer (batch n, c -> o channels, square kernel/stride/padding on h x h images),
// forward then backward from a gradient of ones, as in training (weight and bias need gradients; the
// input only if input_grad), one timed run a call, so that a benchmark can take turns with it run by
// run. The constructor sets LibTorch's and OpenBLAS's threads.
struct ConvTimes {
  double forward_us, backward_us;
};
class Conv2dLayer {
 public:
  Conv2dLayer(int n, int c, int o, int h, int kernel, int stride, int padding, bool input_grad, int threads);
  ~Conv2dLayer();
  Conv2dLayer(const Conv2dLayer&) = delete;
  Conv2dLayer& operator=(const Conv2dLayer&) = delete;
  ConvTimes run();

 private:
  struct Impl;
  Impl* impl_;
};

// bench_layers' layers, each timed `repeat` times after one untimed warm-up run: microseconds per run
// of the forward and of the backward (from a fixed random gradient; the input needs a gradient, as
// in a network's middle). BatchNorm2d(c) in training mode on (n, c, h, h); Dropout(p) in training
// mode on (n, features).
struct LayerTimes {
  std::vector<double> forward_us, backward_us;
};
LayerTimes libtorch_batch_norm2d_us(int n, int c, int h, int repeat, int threads);
LayerTimes libtorch_dropout_us(int n, int features, double p, int repeat, int threads);
// Adam (lr 1e-3, LibTorch's defaults otherwise) over parameters of these shapes with fixed random
// gradients: microseconds per step(), after one untimed step that creates the state.
std::vector<double> libtorch_adam_step_us(const std::vector<std::vector<long>>& shapes, int repeat, int threads);

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
