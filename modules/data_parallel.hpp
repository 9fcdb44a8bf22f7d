// Data parallelism on one machine: a batch split over tapegrad's thread pool (tg::ThreadPool).
//
//   tg::set_num_threads(2);
//   optimizer.zero_grad();
//   double loss = tg::nn::data_parallel_backward(*model, x, y,   // y: a Long tensor of class indices
//       [](const tg::Tensor& out, const tg::Tensor& y) { return tg::cross_entropy(out, y); });
//   optimizer.step();
//
// Each thread runs forward, loss and backward of one slice of the batch (dim 0) on its own tape,
// into gradient buffers of its own (kept between steps, so each stays in its thread's cache); then
// the pool sums them, a chunk per thread, into the parameters' .grad. Each slice's loss is weighted
// by slice/batch, so with a loss that is a mean over its slice the parameters' gradients equal the
// whole batch's, up to float summation order. (When x requires grad, or the parameters are not all
// of one dtype, the slices' backwards add into .grad under the leaves' locks instead, core/tape.hpp.)
//
// Splitting pays only when a slice's compute outweighs moving the weights and gradients between
// cores (the MNIST MLP with a fast BLAS ran 0.9x on 2 threads), so by default each model's steps are
// measured: a trial runs each mode (on this thread alone; whole, with its large GEMMs split over the
// pool; split into slices) in blocks of 4 steps, 3 rounds, and the fastest holds for the next 1000
// steps. A step is timed from one call to the next, so the optimizer's update and the next batch in
// between count; while the choice is this thread alone, parallel_for's chunking is off
// (tg::set_chunking), so they run here too.
// LibTorch's torch::nn::parallel::data_parallel replicates a module over CUDA devices and returns
// the output; here the tape is per thread, so the loss and backward run inside each slice too.
#pragma once

#include <functional>
#include <type_traits>

#include <tapegrad/core/tensor.hpp>
#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/module_holder.hpp>

namespace tg::nn {

// How data_parallel_backward decides how to use the pool: Measure (the default) chooses per model by
// timing trial steps, Always splits the batch whenever the pool has 2 threads or more.
enum class SplitPolicy { Measure, Always };
void set_split_policy(SplitPolicy policy);
SplitPolicy get_split_policy();

// The loss of one slice, a mean over its rows (cross_entropy, mse_loss with Reduction::Mean).
using SliceLoss = std::function<Tensor(const Tensor& output, const Tensor& target)>;

// How a slice runs through the model: output = forward(input rows).
using Forward = std::function<Tensor(const Tensor& x)>;

// Forward, loss and backward of the batch (x, y) through `forward`, split into min(pool threads,
// rows) slices run in parallel (when the split policy lets it); gradients accumulate into the
// parameters of `model` as loss.backward() would. Returns the batch's loss (the weighted sum of the
// slices'). With one thread it is the plain serial step. `scale` multiplies the gradients (not the
// returned loss): a rank of a distributed job whose share of the global batch is uneven weights its
// gradient by it. A forward of one's own serves a model of several inputs, or part of a model.
double data_parallel_backward(Module& model, const Forward& forward, const Tensor& x, const Tensor& y,
                              const SliceLoss& loss, float scale = 1.0f);

// The same through the model's own one-tensor forward (`Tensor forward(Tensor x)` or
// `forward(const Tensor& x)`): pass the module itself or its holder (Module declares no forward).
template <class M, class = std::enable_if_t<std::is_base_of_v<Module, M>>>
double data_parallel_backward(M& model, const Tensor& x, const Tensor& y, const SliceLoss& loss, float scale = 1.0f) {
  return data_parallel_backward(
      model, Forward([&model](const Tensor& in) { return model.forward(in); }), x, y, loss, scale);
}
// The same for a module holder (`net` as well as `*net`).
template <class Impl>
double data_parallel_backward(ModuleHolder<Impl>& model, const Tensor& x, const Tensor& y, const SliceLoss& loss,
                              float scale = 1.0f) {
  return data_parallel_backward(*model, x, y, loss, scale);
}

}  // namespace tg::nn
