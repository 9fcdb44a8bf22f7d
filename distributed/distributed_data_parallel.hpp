// tg::distributed::DistributedDataParallel: one model replicated on every rank, its gradients
// averaged over the ranks before each optimizer step (LibTorch's torch::nn::parallel::
// DistributedDataParallel idea, called explicitly from the user's loop).
//
//   auto& world = tg::distributed::ProcessGroupMPI::world();
//   tg::distributed::DistributedDataParallel ddp(model, world);  // same model checked, rank 0's weights
//   tg::data::DistributedSampler sampler(train.size(), world.size(), world.rank(), 32, seed);
//   ...
//     optimizer.zero_grad();
//     loss.backward();          // this rank's share of the global batch
//     ddp.sync_gradients();     // every rank now holds the average gradient
//     optimizer.step();
//
// Gradients travel in buckets (LibTorch's bucket_cap_mb, 25 MB by default), parameters in reverse
// registration order as LibTorch buckets them, one blocking allreduce per bucket that writes the
// mean straight back into the gradients. LibTorch starts a bucket's allreduce from autograd hooks
// while backward still runs; here sync_gradients runs after backward (docs/distributed.md,
// "Overlap", says what was measured).
#pragma once

#include <memory>
#include <type_traits>
#include <vector>

#include <tapegrad/distributed/process_group.hpp>
#include <tapegrad/modules/data_parallel.hpp>
#include <tapegrad/modules/module.hpp>
#include <tapegrad/modules/module_holder.hpp>

namespace tg::distributed {

struct DistributedDataParallelOptions {
  double bucket_cap_mb = 25;  // LibTorch's default
};

class DistributedDataParallel {
 public:
  // Checks that every rank holds the same model (parameter and buffer names and shapes, in order)
  // and throws tg::Error naming the first difference on every rank; then copies rank 0's
  // parameters and buffers to every rank. Collective: every rank must call it. Float and Double
  // parameters (even mixed) travel in their own dtype: a bucket holds one dtype, as LibTorch's.
  // forward() runs the module's own forward, as its type declares it (LibTorch's `Tensor
  // forward(Tensor x)` too, which hides Module's virtual one): pass a pointer or holder of the module's
  // own type for that.
  template <class M, class = std::enable_if_t<std::is_base_of_v<nn::Module, M>>>
  explicit DistributedDataParallel(std::shared_ptr<M> module, ProcessGroupMPI& group = ProcessGroupMPI::world(),
                                   DistributedDataParallelOptions options = {})
      : DistributedDataParallel(module, [m = module.get()](const Tensor& x) { return m->forward(x); }, group,
                                options) {}
  template <class Impl>
  explicit DistributedDataParallel(const nn::ModuleHolder<Impl>& module,
                                   ProcessGroupMPI& group = ProcessGroupMPI::world(),
                                   DistributedDataParallelOptions options = {})
      : DistributedDataParallel(module.ptr(), group, options) {}
  // With the forward given (a model of several inputs): forward() calls it.
  DistributedDataParallel(std::shared_ptr<nn::Module> module, nn::Forward forward, ProcessGroupMPI& group,
                          DistributedDataParallelOptions options = {});

  nn::Module& module() { return *module_; }
  Tensor forward(const Tensor& x) { return forward_(x); }

  // Every parameter's gradient becomes its average over the ranks; a parameter without one counts
  // as zeros (and gets the average). Collective: every rank must call it, once per step.
  void sync_gradients();
  // Seconds the last sync_gradients took (packing, allreduce, unpacking).
  double last_sync_seconds() const { return last_sync_seconds_; }
  std::size_t buckets() const { return buckets_.size(); }

 private:
  struct Bucket {
    ScalarType dtype;
    std::vector<Tensor> params;
  };
  std::shared_ptr<nn::Module> module_;
  nn::Forward forward_;
  ProcessGroupMPI& group_;
  std::vector<Bucket> buckets_;
  double last_sync_seconds_ = 0;
};

}  // namespace tg::distributed
