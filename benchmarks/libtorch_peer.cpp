#include "libtorch_peer.hpp"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <vector>

// LibTorch 1.13 from Debian runs its matrix products on the same OpenBLAS as tapegrad.
extern "C" void openblas_set_num_threads(int);

namespace peer {
namespace {

torch::nn::Sequential make_model(const std::string& model) {
  namespace nn = torch::nn;
  if (model == "mlp")
    return nn::Sequential(nn::Flatten(), nn::Linear(784, 50), nn::ReLU(), nn::Linear(50, 10));
  if (model == "cnn")
    return nn::Sequential(nn::Conv2d(nn::Conv2dOptions(1, 8, 5).stride(2).padding(2)), nn::ReLU(),
                          nn::Conv2d(nn::Conv2dOptions(8, 16, 3).stride(2).padding(1)), nn::ReLU(),
                          nn::Conv2d(nn::Conv2dOptions(16, 32, 3).stride(2).padding(1)), nn::ReLU(), nn::Flatten(),
                          nn::Linear(512, 10));
  throw std::invalid_argument("libtorch_epoch: unknown model " + model);
}

// The whole split as a normalised float tensor (N,1,28,28): LibTorch's fastest path, slicing batches.
torch::Tensor to_float(const std::uint8_t* images, std::size_t n, float mean, float std) {
  auto t = torch::from_blob(const_cast<std::uint8_t*>(images), {static_cast<long>(n), 1, 28, 28}, torch::kUInt8);
  return (t.to(torch::kFloat32) - mean) / std;
}

torch::Tensor to_labels(const std::uint8_t* labels, std::size_t n) {
  return torch::from_blob(const_cast<std::uint8_t*>(labels), {static_cast<long>(n)}, torch::kUInt8).to(torch::kLong);
}

}  // namespace

EpochResult libtorch_epoch(const std::string& model_name, const Data& d, int batch, double lr, double momentum,
                           int threads, std::uint64_t seed) {
  // As a LibTorch user sets it: its own pool, and OpenBLAS's (else tapegrad's last setting would leak in).
  torch::set_num_threads(threads);
  openblas_set_num_threads(threads);
  torch::manual_seed(seed);
  auto model = make_model(model_name);
  torch::optim::SGD opt(model->parameters(), torch::optim::SGDOptions(lr).momentum(momentum));
  const auto x = to_float(d.train_images, d.n_train, d.mean, d.std);
  const auto y = to_labels(d.train_labels, d.n_train);

  EpochResult r{};
  const auto t0 = std::chrono::steady_clock::now();
  const auto perm = torch::randperm(static_cast<long>(d.n_train), torch::kLong);
  double loss_sum = 0;
  long batches = 0;
  for (long start = 0; start < static_cast<long>(d.n_train); start += batch) {
    const auto idx = perm.narrow(0, start, std::min<long>(batch, d.n_train - start));
    opt.zero_grad();
    auto loss = torch::nn::functional::cross_entropy(model->forward(x.index_select(0, idx)), y.index_select(0, idx));
    loss.backward();
    opt.step();
    loss_sum += loss.item<double>();
    ++batches;
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.train_loss = loss_sum / batches;

  torch::NoGradGuard no_grad;
  const auto xv = to_float(d.valid_images, d.n_valid, d.mean, d.std);
  const auto yv = to_labels(d.valid_labels, d.n_valid);
  const auto pred = model->forward(xv).argmax(1);
  r.valid_accuracy = pred.eq(yv).sum().item<double>() / static_cast<double>(d.n_valid);
  return r;
}

double libtorch_op_chain_us(int chain, int reps) {
  torch::set_num_threads(1);
  const auto x = torch::tensor({1.f, 2.f, 3.f, 4.f}, torch::requires_grad());
  const auto c = torch::full({4}, 0.5f), ones = torch::ones({4});
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < reps; ++i) {
    auto y = x;
    for (int k = 0; k < chain / 2; ++k) y = y * c + 1.f;
    y.backward(ones);
    x.mutable_grad().zero_();
  }
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() / reps;
}

double libtorch_forward_backward_ms(const float* x_data, const float* digits, std::size_t n, bool input_grad,
                                    int repeat, int threads) {
  torch::set_num_threads(threads);
  openblas_set_num_threads(threads);
  torch::manual_seed(1);
  const long rows = static_cast<long>(n);
  auto x = torch::from_blob(const_cast<float*>(x_data), {rows, 784}).clone().requires_grad_(input_grad);
  const auto targ = torch::from_blob(const_cast<float*>(digits), {rows}).clone();
  auto w1 = (torch::randn({784, 50}) * std::sqrt(2.0 / 784)).requires_grad_();
  auto b1 = torch::zeros({50}).requires_grad_();
  auto w2 = (torch::randn({50, 1}) * std::sqrt(2.0 / 50)).requires_grad_();
  auto b2 = torch::zeros({1}).requires_grad_();
  std::vector<double> ms;
  for (int r = 0; r < repeat; ++r) {
    for (auto* t : {&x, &w1, &b1, &w2, &b2}) t->mutable_grad() = torch::Tensor();
    const auto t0 = std::chrono::steady_clock::now();
    const auto l1 = x.mm(w1) + b1;
    const auto l2 = l1.clamp_min(0);
    const auto out = l2.mm(w2) + b2;
    const auto loss = (out.squeeze(-1) - targ).pow(2).mean();
    loss.backward();
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::nth_element(ms.begin(), ms.begin() + ms.size() / 2, ms.end());
  return ms[ms.size() / 2];
}

struct Conv2dLayer::Impl {
  torch::Tensor x, w, b, ones;
  int stride, padding;
};

Conv2dLayer::Conv2dLayer(int n, int c, int o, int h, int kernel, int stride, int padding, bool input_grad, int threads)
    : impl_(new Impl) {
  torch::set_num_threads(threads);
  openblas_set_num_threads(threads);
  torch::manual_seed(1);
  const int out = (h + 2 * padding - kernel) / stride + 1;
  *impl_ = {torch::randn({n, c, h, h}).requires_grad_(input_grad), torch::randn({o, c, kernel, kernel}).requires_grad_(true),
            torch::randn({o}).requires_grad_(true), torch::ones({n, o, out, out}), stride, padding};
}

Conv2dLayer::~Conv2dLayer() { delete impl_; }

ConvTimes Conv2dLayer::run() {
  Impl& l = *impl_;
  for (auto t : {l.x, l.w, l.b}) t.mutable_grad().reset();
  const auto t0 = std::chrono::steady_clock::now();
  const auto y = torch::conv2d(l.x, l.w, l.b, l.stride, l.padding);
  const auto t1 = std::chrono::steady_clock::now();
  y.backward(l.ones);
  const auto t2 = std::chrono::steady_clock::now();
  return {std::chrono::duration<double, std::micro>(t1 - t0).count(),
          std::chrono::duration<double, std::micro>(t2 - t1).count()};
}

namespace {

double us_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
}

// Forward and backward of `layer` on x, `repeat` timed runs after one warm-up.
template <class Layer>
LayerTimes time_layer(Layer& layer, const torch::Tensor& x, const torch::Tensor& grad, int repeat) {
  LayerTimes t;
  for (int r = -1; r < repeat; ++r) {
    x.mutable_grad().reset();
    for (auto& p : layer->parameters()) p.mutable_grad().reset();
    const auto t0 = std::chrono::steady_clock::now();
    const auto y = layer->forward(x);
    const double fwd = us_since(t0);
    const auto t1 = std::chrono::steady_clock::now();
    y.backward(grad);
    const double bwd = us_since(t1);
    if (r >= 0) t.forward_us.push_back(fwd), t.backward_us.push_back(bwd);
  }
  return t;
}

}  // namespace

LayerTimes libtorch_batch_norm2d_us(int n, int c, int h, int repeat, int threads) {
  torch::set_num_threads(threads);
  torch::manual_seed(1);
  torch::nn::BatchNorm2d bn(c);
  bn->train();
  const auto x = torch::randn({n, c, h, h}).requires_grad_(true);
  return time_layer(bn, x, torch::randn({n, c, h, h}), repeat);
}

LayerTimes libtorch_dropout_us(int n, int features, double p, int repeat, int threads) {
  torch::set_num_threads(threads);
  torch::manual_seed(1);
  torch::nn::Dropout drop(p);
  drop->train();
  const auto x = torch::randn({n, features}).requires_grad_(true);
  return time_layer(drop, x, torch::randn({n, features}), repeat);
}

std::vector<double> libtorch_adam_step_us(const std::vector<std::vector<long>>& shapes, int repeat, int threads) {
  torch::set_num_threads(threads);
  torch::manual_seed(1);
  std::vector<torch::Tensor> params;
  for (const auto& s : shapes) {
    params.push_back(torch::randn(s).requires_grad_(true));
    params.back().mutable_grad() = torch::randn(s);
  }
  torch::optim::Adam opt(params, torch::optim::AdamOptions(1e-3));
  std::vector<double> us;
  for (int r = -1; r < repeat; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    opt.step();
    if (r >= 0) us.push_back(us_since(t0));
  }
  return us;
}

struct MnistPipeline::Impl {
  using Dataset = torch::data::datasets::MapDataset<
      torch::data::datasets::MapDataset<torch::data::datasets::MNIST, torch::data::transforms::Normalize<>>,
      torch::data::transforms::Stack<>>;
  std::unique_ptr<torch::data::StatelessDataLoader<Dataset, torch::data::samplers::RandomSampler>> loader;
  double checksum = 0.0;  // the batches are read, never optimised away
};

MnistPipeline::MnistPipeline(const std::string& root, std::size_t workers) : impl_(new Impl) {
  torch::set_num_threads(1);
  impl_->loader = torch::data::make_data_loader(
      torch::data::datasets::MNIST(root)
          .map(torch::data::transforms::Normalize<>(0.1307, 0.3081))
          .map(torch::data::transforms::Stack<>()),
      torch::data::DataLoaderOptions().batch_size(64).workers(workers));
}

MnistPipeline::~MnistPipeline() { delete impl_; }

double MnistPipeline::epoch_ms() {
  const auto t0 = std::chrono::steady_clock::now();
  for (auto& batch : *impl_->loader) impl_->checksum += batch.data.data_ptr<float>()[0];
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace peer
