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

}  // namespace

DistributedDataParallel::DistributedDataParallel(std::shared_ptr<nn::Module> module, ProcessGroupMPI& group,
                                                 DistributedDataParallelOptions options)
    : module_(std::move(module)), group_(group) {
  if (!module_) throw Error("DistributedDataParallel: the module is null");
  if (!(options.bucket_cap_mb > 0))
    throw Error("DistributedDataParallel: expected bucket_cap_mb > 0, got " + std::to_string(options.bucket_cap_mb));
  check_same_model(*module_, group_);
  for (auto& p : module_->parameters()) group_.broadcast(p.data_ptr<float>(), p.numel(), 0);
  for (auto& b : module_->buffers()) {
    if (b.scalar_type() == kLong)  // BatchNorm's num_batches_tracked
      group_.broadcast(reinterpret_cast<std::uint64_t*>(b.data_ptr<std::int64_t>()), b.numel(), 0);
    else
      group_.broadcast(b.data_ptr<float>(), b.numel(), 0);
  }

  const auto cap = static_cast<std::size_t>(options.bucket_cap_mb * 1024 * 1024 / sizeof(float));
  auto params = module_->parameters();
  std::reverse(params.begin(), params.end());  // gradients are ready last layer first
  std::size_t in_bucket = 0;
  for (auto& p : params) {
    if (!p.requires_grad()) continue;
    const auto n = static_cast<std::size_t>(p.numel());
    if (buckets_.empty() || (in_bucket > 0 && in_bucket + n > cap)) {
      buckets_.emplace_back();
      in_bucket = 0;
    }
    buckets_.back().params.push_back(p.variable<float>());
    in_bucket += n;
    buckets_.back().flat.resize(in_bucket);
  }
}

void DistributedDataParallel::sync_gradients() {
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<ProcessGroupMPI::Work> pending;
  pending.reserve(buckets_.size());
  for (auto& b : buckets_) {
    float* dst = b.flat.data();
    for (const auto& p : b.params) {
      if (p.has_grad()) std::copy_n(p.grad().data(), p.numel(), dst);
      else std::fill_n(dst, p.numel(), 0.0f);
      dst += p.numel();
    }
    pending.push_back(group_.allreduce_sum_async(b.flat.data(), b.flat.size()));
  }
  const float scale = 1.0f / static_cast<float>(group_.size());
  for (std::size_t k = 0; k < buckets_.size(); ++k) {
    pending[k].wait();
    const float* src = buckets_[k].flat.data();
    for (const auto& p : buckets_[k].params) {
      GradMeta<float>& m = *p.meta();
      if (!m.has_grad) {
        m.grad = Array<float>::from_shape(m.shape);
        m.has_grad = true;
      }
      float* g = m.grad.data();
      for (std::size_t i = 0; i < p.numel(); ++i) g[i] = src[i] * scale;
      src += p.numel();
    }
  }
  last_sync_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace tg::distributed
