#include "mnist_models.hpp"

#include <algorithm>
#include <chrono>

namespace mnist {

using tg::nn::BatchNorm2d;
using tg::nn::Conv2d;
using tg::nn::Conv2dOptions;
using tg::nn::Linear;
using tg::nn::ReLU;

tg::nn::Sequential make_model(const std::string& name) {
  if (name == "mlp") return tg::nn::Sequential(Linear(784, 50), ReLU(), Linear(50, 10));
  if (name == "cnn")
    return tg::nn::Sequential(Conv2d(Conv2dOptions(1, 8, 5).stride(2).padding(2)), ReLU(),
                              Conv2d(Conv2dOptions(8, 16, 3).stride(2).padding(1)), ReLU(),
                              Conv2d(Conv2dOptions(16, 32, 3).stride(2).padding(1)), ReLU(), tg::nn::Flatten(),
                              Linear(512, 10));
  if (name == "bn-cnn")
    return tg::nn::Sequential(Conv2d(Conv2dOptions(1, 8, 5).stride(2).padding(2)), BatchNorm2d(8), ReLU(),
                              Conv2d(Conv2dOptions(8, 16, 3).stride(2).padding(1)), BatchNorm2d(16), ReLU(),
                              Conv2d(Conv2dOptions(16, 32, 3).stride(2).padding(1)), BatchNorm2d(32), ReLU(),
                              tg::nn::Flatten(), tg::nn::Dropout(0.5), Linear(512, 10));
  throw tg::Error("make_model: unknown model '" + name + "' (expected mlp, cnn or bn-cnn)");
}

bool takes_flat_images(const std::string& name) { return name == "mlp"; }

tg::Tensor cross_entropy_loss(const tg::Tensor& output, const tg::Tensor& target) {
  return tg::cross_entropy(output, target);
}

double train_epoch(tg::nn::SequentialImpl& model, tg::data::DataLoader& loader, tg::optim::Optimizer& optimizer,
                   const std::function<void(std::size_t, double)>& on_batch, StepPhases* phases) {
  using Clock = std::chrono::steady_clock;
  Clock::time_point since;
  // Adds the time since the last lap to `phase` (only when phases are asked for).
  const auto lap = [&](double StepPhases::*phase) {
    if (!phases) return;
    const Clock::time_point now = Clock::now();
    phases->*phase += std::chrono::duration<double>(now - since).count();
    since = now;
  };
  model.train();
  double loss_sum = 0;
  std::size_t i = 0;
  for (auto it = loader.begin(); it != loader.end(); ++it) {
    if (phases) since = Clock::now();
    const tg::data::Batch batch = *it;  // the rows converted here
    lap(&StepPhases::batch);
    optimizer.zero_grad();
    lap(&StepPhases::zero_grad);
    const double loss = tg::nn::data_parallel_backward(model, batch.data, batch.target, cross_entropy_loss);
    lap(&StepPhases::forward_backward);
    optimizer.step();
    lap(&StepPhases::step);
    if (phases) ++phases->steps;
    loss_sum += loss;
    if (on_batch) on_batch(i, loss);
    ++i;
  }
  return i ? loss_sum / static_cast<double>(i) : 0.0;
}

Evaluation evaluate(tg::nn::SequentialImpl& model, const tg::data::Dataset& data, bool flat_images) {
  tg::NoGradGuard no_grad;
  model.eval();
  tg::data::ImageLoaderOptions options;
  options.batch_size = 1000;
  options.shuffle = false;
  options.flatten = flat_images;
  tg::data::DataLoader loader(data, options);
  std::size_t correct = 0;
  double loss_sum = 0;
  for (const tg::data::Batch& batch : loader) {
    const tg::Tensor out = model.forward(batch.data);
    loss_sum += tg::cross_entropy(out, batch.target, {}, tg::Reduction::Sum).item<double>();
    const auto& logits = out.value<float>();
    const std::size_t n = logits.shape()[0], classes = logits.shape()[1];
    const float* row = logits.data();
    const std::int64_t* target = batch.target.data_ptr<std::int64_t>();
    for (std::size_t i = 0; i < n; ++i, row += classes) {
      const auto best = static_cast<std::int64_t>(std::max_element(row, row + classes) - row);
      correct += best == target[i];
    }
  }
  model.train();
  if (data.size() == 0) return {0.0, 0.0};
  const double n = static_cast<double>(data.size());
  return {loss_sum / n, static_cast<double>(correct) / n};
}

#ifdef TAPEGRAD_HAS_DISTRIBUTED
double train_epoch_distributed(tg::nn::SequentialImpl& model, tg::distributed::DistributedDataParallel& ddp,
                               const tg::data::DistributedSampler& sampler, const tg::data::DataLoader& loader,
                               tg::optim::Optimizer& optimizer, const std::function<void(std::size_t, double)>& on_batch) {
  model.train();
  const double world = static_cast<double>(sampler.num_replicas());
  double share_sum = 0;  // this rank's part of the sum of the global batch losses
  for (std::size_t step = 0; step < sampler.steps(); ++step) {
    const auto rows = sampler.rows(step);
    const double global = static_cast<double>(sampler.global_rows(step));
    optimizer.zero_grad();
    double loss = 0;
    if (!rows.empty()) {
      const tg::data::Batch batch = loader.batch(rows);
      // ddp averages over ranks; an uneven share (a short last step) weighs by its rows.
      const auto scale = static_cast<float>(double(rows.size()) * world / global);
      loss = tg::nn::data_parallel_backward(model, batch.data, batch.target, cross_entropy_loss, scale);
      share_sum += loss * double(rows.size()) / global;
    }
    ddp.sync_gradients();
    optimizer.step();
    if (on_batch) on_batch(step, loss);
  }
  auto& group = tg::distributed::ProcessGroupMPI::world();
  group.allreduce_sum(&share_sum, 1);
  return sampler.steps() ? share_sum / static_cast<double>(sampler.steps()) : 0.0;
}

Evaluation evaluate_distributed(tg::nn::SequentialImpl& model, const tg::data::Dataset& data, bool flat_images,
                                tg::distributed::ProcessGroupMPI& group) {
  const std::size_t n = data.size(), r = static_cast<std::size_t>(group.rank()),
                    p = static_cast<std::size_t>(group.size());
  const std::size_t begin = n * r / p, end = n * (r + 1) / p, px = data.pixels();
  tg::data::Dataset shard{
      std::vector<std::uint8_t>(data.images.begin() + static_cast<std::ptrdiff_t>(begin * px),
                                data.images.begin() + static_cast<std::ptrdiff_t>(end * px)),
      std::vector<std::int64_t>(data.labels.begin() + static_cast<std::ptrdiff_t>(begin),
                                data.labels.begin() + static_cast<std::ptrdiff_t>(end)),
      data.rows, data.cols, data.mean, data.std};
  const Evaluation mine = evaluate(model, shard, flat_images);
  double sums[2] = {mine.loss * double(shard.size()), mine.accuracy * double(shard.size())};
  group.allreduce_sum(sums, 2);
  if (n == 0) return {0.0, 0.0};
  return {sums[0] / double(n), sums[1] / double(n)};
}
#endif

void write_step_graph(tg::nn::SequentialImpl& model, const tg::data::DataLoader& loader, const std::string& path) {
  const tg::data::Batch batch = loader.batch(0);
  tg::Tensor loss = tg::cross_entropy(model.forward(batch.data), batch.target);
  loss.backward(/*grad=*/{}, /*retain_graph=*/true);
  tg::TensorDotOptions options{model.named_parameters()};
  for (const auto& [name, child] : model.named_children()) options.cluster_labels.push_back({name, name + ": " + child->name()});
  tg::write_dot(path, loss, options);
  tg::Tape<float>::current().clear();
  model.zero_grad();
}

}  // namespace mnist
