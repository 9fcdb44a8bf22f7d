#include <tapegrad/modules/data_parallel.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <xtensor/xbuilder.hpp>

#include <tapegrad/core/tape.hpp>
#include <tapegrad/core/thread_pool.hpp>
#include <tapegrad/core/threads.hpp>

namespace tg::nn {
namespace {

// A 0-d Double tensor: a backward seed (converted to the loss's dtype by backward).
Tensor seed(double value) { return Tensor(Array<double>(xt::xarray<double>(value))); }

std::atomic<SplitPolicy> policy{SplitPolicy::Measure};

// Whether splitting pays for one model, measured: a trial alternates whole and split steps
// (kTrialSteps of each) and keeps the one with the lower median time per row for kHoldSteps steps,
// then tries again (the batch or the machine's load may have changed).
class SplitChooser {
 public:
  static constexpr int kTrialSteps = 5, kHoldSteps = 1000;

  bool split() const {
    if (trial_step_ < 2 * kTrialSteps) return trial_step_ % 2 == 1;
    return chose_split_;
  }
  void record(bool split, double seconds_per_row) {
    if (trial_step_ < 2 * kTrialSteps) {
      (split ? split_ : whole_).push_back(seconds_per_row);
      if (++trial_step_ == 2 * kTrialSteps) {
        chose_split_ = median(split_) < median(whole_);
        split_.clear(), whole_.clear();
        held_ = 0;
      }
    } else if (++held_ == kHoldSteps) {
      trial_step_ = 0;
    }
  }

 private:
  static double median(std::vector<double>& v) {
    std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
    return v[v.size() / 2];
  }
  int trial_step_ = 0, held_ = 0;
  bool chose_split_ = true;
  std::vector<double> whole_, split_;
};

std::mutex choosers_mutex;
// Keyed by model and pool size; a chooser lives as long as the process (a few dozen bytes a model).
std::map<std::pair<const Module*, int>, SplitChooser>& choosers() {
  static std::map<std::pair<const Module*, int>, SplitChooser> map;
  return map;
}

}  // namespace

void set_split_policy(SplitPolicy p) { policy = p; }
SplitPolicy get_split_policy() { return policy; }

double data_parallel_backward(Module& model, const Tensor& x, const Tensor& y, const SliceLoss& loss, float scale) {
  if (x.dim() == 0 || y.dim() != 1 || x.size(0) != y.size(0))
    throw Error("data_parallel_backward: expected x of shape (B, ...) and y of shape (B,), got x " +
                shape_str(x.shape()) + " and y " + shape_str(y.shape()));
  const std::size_t batch = static_cast<std::size_t>(x.size(0));
  const int pool = get_pool_threads();
  std::size_t slices = std::min<std::size_t>(static_cast<std::size_t>(pool), batch);
  SplitChooser* chooser = nullptr;
  if (slices > 1 && policy == SplitPolicy::Measure) {
    std::lock_guard<std::mutex> lock(choosers_mutex);
    chooser = &choosers()[{&model, pool}];
    if (!chooser->split()) slices = 1;
  }
  const auto start = std::chrono::steady_clock::now();
  double total = 0;
  if (slices <= 1) {
    Tensor l = loss(model.forward(x), y);
    if (scale == 1.0f) l.backward();
    else l.backward(seed(scale));
    total = l.item<double>();
  } else {
    std::vector<double> losses(slices);
    parallel_for(slices, [&](std::size_t i) {
      const std::size_t begin = batch * i / slices, end = batch * (i + 1) / slices;
      const auto b = static_cast<std::int64_t>(begin), n = static_cast<std::int64_t>(end - begin);
      Tensor l = loss(model.forward(x.narrow(0, b, n)), y.narrow(0, b, n));
      if (l.numel() != 1)
        throw Error("data_parallel_backward: the loss must be a scalar (a mean over the slice), got shape " +
                    shape_str(l.shape()));
      // In double: a Double model's slice weights (1/3, ...) must not be rounded to float.
      const double weight = static_cast<double>(end - begin) / static_cast<double>(batch);
      l.backward(seed(weight * scale));
      losses[i] = l.item<double>() * weight;
    });
    for (double v : losses) total += v;
  }
  if (chooser) {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::lock_guard<std::mutex> lock(choosers_mutex);
    chooser->record(slices > 1, seconds / static_cast<double>(batch));
  }
  return total;
}

}  // namespace tg::nn
