// The MNIST models and the epoch loop, shared by the trainer (examples/train_mnist) and the
// side-by-side benchmark (benchmarks/bench_mnist), so both run exactly the same step.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include <tapegrad/tapegrad.hpp>

namespace mnist {

// "mlp": Linear(784,50)-ReLU-Linear(50,10), the walkthrough's; it takes flattened images (B, 784).
// "cnn": Conv2d(1,8,5,s2,p2)-ReLU-Conv2d(8,16,3,s2,p1)-ReLU-Conv2d(16,32,3,s2,p1)-ReLU-Flatten-
//        Linear(512,10); it takes images (B, 1, 28, 28).
// "bn-cnn": the cnn with BatchNorm2d after each convolution and Dropout(0.5) before the classifier
//        (the trainer pairs it with Adam: --optimizer adam).
tg::nn::Sequential make_model(const std::string& name);
bool takes_flat_images(const std::string& name);

// The trainers' loss: mean cross-entropy (a tg::nn::SliceLoss).
tg::Tensor cross_entropy_loss(const tg::Tensor& output, const tg::Tensor& target);

// Where an epoch's training steps spent their time, in seconds summed over the steps: building the
// batch, zero_grad, forward+loss+backward (tg::nn::data_parallel_backward), the optimizer's step.
struct StepPhases {
  double batch = 0, zero_grad = 0, forward_backward = 0, step = 0;
  std::size_t steps = 0;
};

// One pass over the loader: zero_grad, forward, cross-entropy, backward, step, for every batch; the
// batch is split over tg's thread pool (tg::nn::data_parallel_backward, tg::set_num_threads).
// `on_batch(i, loss)` runs after each step (progress display); `phases`, when given, gets the
// step's time phase by phase (bench_mnist --phases). Returns the mean batch loss.
double train_epoch(tg::nn::SequentialImpl& model, tg::data::DataLoader& loader, tg::optim::Optimizer& optimizer,
                   const std::function<void(std::size_t, double)>& on_batch = {}, StepPhases* phases = nullptr);

// Mean cross-entropy loss and classification accuracy over a whole split, in eval mode and without
// recording.
struct Evaluation {
  double loss, accuracy;
};
Evaluation evaluate(tg::nn::SequentialImpl& model, const tg::data::Dataset& data, bool flat_images);
inline double accuracy(tg::nn::SequentialImpl& model, const tg::data::Dataset& data, bool flat_images) {
  return evaluate(model, data, flat_images).accuracy;
}

#ifdef TAPEGRAD_HAS_DISTRIBUTED
// One epoch of a data-parallel job: this rank's rows of each step (sampler, already set to the
// epoch), forward+backward (split over this rank's threads too), the gradients averaged over the
// ranks, then the step. Returns the epoch's mean batch loss over every rank (a collective).
double train_epoch_distributed(tg::nn::SequentialImpl& model, tg::distributed::DistributedDataParallel& ddp,
                               const tg::data::DistributedSampler& sampler, const tg::data::DataLoader& loader,
                               tg::optim::Optimizer& optimizer,
                               const std::function<void(std::size_t, double)>& on_batch = {});
// evaluate() over every rank, each taking an even share of `data` (a collective).
Evaluation evaluate_distributed(tg::nn::SequentialImpl& model, const tg::data::Dataset& data, bool flat_images,
                                tg::distributed::ProcessGroupMPI& group);
#endif

// The graph of one training step on the loader's first batch (forward, loss, backward), as DOT with
// the model's parameter names (tg::write_dot). The parameters' gradients are freed afterwards and
// nothing is updated, so training goes on as if it had not run.
void write_step_graph(tg::nn::SequentialImpl& model, const tg::data::DataLoader& loader, const std::string& path);

}  // namespace mnist
