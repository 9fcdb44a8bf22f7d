#include <tapegrad/distributed/distributed_data_parallel.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <sstream>
#include <string>

#include <tapegrad/core/array.hpp>

namespace tg::distributed {
namespace {

// One line per parameter and buffer, in order: "parameter 2.weight (10, 50)".
std::vector<std::string> describe(const nn::Module& module) {
  std::vector<std::string> lines;
  for (const auto& [name, p] : module.named_parameters()) lines.push_back("parameter '" + name + "' of shape " + shape_str(p.shape()));
  for (const auto& [name, b] : module.named_buffers()) lines.push_back("buffer '" + name + "' of shape " + shape_str(b.shape()));
  return lines;
}

std::string join(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += l + "\n";
  return s;
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> lines;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

// Throws, naming the first difference, when some rank's model differs from rank 0's.
void check_same_model(const nn::Module& module, ProcessGroupMPI& group) {
  const auto all = group.allgather(join(describe(module)));
  const auto ref = split(all[0]);
  for (std::size_t r = 1; r < all.size(); ++r) {
    if (all[r] == all[0]) continue;
    const auto other = split(all[r]);
    const std::string where = "DistributedDataParallel: the model on rank " + std::to_string(r) + " differs from rank 0's: ";
    for (std::size_t i = 0; i < std::min(ref.size(), other.size()); ++i)
      if (ref[i] != other[i])
        throw Error(where + "entry " + std::to_string(i) + " is " + ref[i] + " on rank 0 but " + other[i] + " on rank " +
                    std::to_string(r));
    throw Error(where + "rank 0 has " + std::to_string(ref.size()) + " parameters and buffers, rank " + std::to_string(r) +
                " has " + std::to_string(other.size()));
  }
}

// Every rank's copy of t becomes rank 0's.
void broadcast(Tensor& t, ProcessGroupMPI& group) {
  switch (t.scalar_type()) {
    case kFloat: group.broadcast(t.data_ptr<float>(), t.numel(), 0); break;
    case kDouble: group.broadcast(t.data_ptr<double>(), t.numel(), 0); break;
    case kLong:  // BatchNorm's num_batches_tracked
      group.broadcast(reinterpret_cast<std::uint64_t*>(t.data_ptr<std::int64_t>()), t.numel(), 0);
      break;
    default: throw Error(std::string("DistributedDataParallel: cannot broadcast a tensor of dtype ") + to_string(t.scalar_type()));
  }
}

// The bucket's gradients as slices for one allreduce; a parameter without one gets zeros.
template <class T>
std::vector<ProcessGroupMPI::Slice<T>> gradient_slices(const std::vector<Tensor>& params) {
  std::vector<ProcessGroupMPI::Slice<T>> slices;
  slices.reserve(params.size());
  for (const Tensor& p : params) {
    GradMeta<T>& m = *p.variable<T>().meta();
    if (!m.has_grad) {
      m.grad = Array<T>(xt::zeros<T>(m.shape));
      m.has_grad = true;
    }
    slices.push_back({m.grad.data(), m.grad.size()});
  }
  return slices;
}

}  // namespace

DistributedDataParallel::DistributedDataParallel(std::shared_ptr<nn::Module> module, nn::Forward forward,
                                                 ProcessGroupMPI& group, DistributedDataParallelOptions options)
    : module_(std::move(module)), forward_(std::move(forward)), group_(group) {
  if (!module_) throw Error("DistributedDataParallel: the module is null");
  if (!forward_) throw Error("DistributedDataParallel: the forward function is empty");
  if (!(options.bucket_cap_mb > 0))
    throw Error("DistributedDataParallel: expected bucket_cap_mb > 0, got " + std::to_string(options.bucket_cap_mb));
  check_same_model(*module_, group_);
  for (auto& p : module_->parameters()) broadcast(p, group_);
  for (auto& b : module_->buffers()) broadcast(b, group_);

  const auto cap = static_cast<std::size_t>(options.bucket_cap_mb * 1024 * 1024);  // bytes
  auto params = module_->parameters();
  std::reverse(params.begin(), params.end());  // gradients are ready last layer first
  std::size_t in_bucket = 0;                   // bytes
  for (auto& p : params) {
    if (!p.requires_grad()) continue;
    const std::size_t n = static_cast<std::size_t>(p.numel());
    const std::size_t bytes = n * (p.scalar_type() == kDouble ? sizeof(double) : sizeof(float));
    if (buckets_.empty() || buckets_.back().dtype != p.scalar_type() || (in_bucket > 0 && in_bucket + bytes > cap)) {
      buckets_.push_back(Bucket{p.scalar_type(), {}});
      in_bucket = 0;
    }
    Bucket& bucket = buckets_.back();
    bucket.params.push_back(p);
    in_bucket += bytes;
  }
}

void DistributedDataParallel::sync_gradients() {
  const auto t0 = std::chrono::steady_clock::now();
  const double scale = 1.0 / group_.size();
  for (const Bucket& b : buckets_) {
    if (b.dtype == kDouble) group_.allreduce_sum(gradient_slices<double>(b.params), scale);
    else group_.allreduce_sum(gradient_slices<float>(b.params), static_cast<float>(scale));
  }
  last_sync_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace tg::distributed
