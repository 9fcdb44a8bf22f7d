#include <tapegrad/modules/data_parallel.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <xtensor/xbuilder.hpp>

#include <tapegrad/core/tape.hpp>
#include <tapegrad/core/thread_pool.hpp>
#include <tapegrad/core/threads.hpp>

namespace tg::nn {
namespace {

// A 0-d Double tensor: a backward seed (converted to the loss's dtype by backward).
Tensor seed(double value) { return Tensor(Array<double>(xt::xarray<double>(value))); }

std::atomic<SplitPolicy> split_policy{SplitPolicy::Measure};

// How one step runs: on the calling thread alone (with parallel_for's chunking off until the next
// step, so the update and the next batch run there too); whole on the calling thread with its large
// GEMMs split over the pool (core/blas.cpp); or split into slices, one a thread.
enum class StepMode { Serial, SplitGemms, SplitBatch };
constexpr int kModes = 3;

// Which mode pays for one model, measured: a trial runs each mode for kBlockSteps steps in a row,
// kRounds times over, and keeps the mode with the lowest median time per row for kHoldSteps steps,
// then tries again (the batch or the machine's load may have changed). A step's time runs from its
// call to the next call, so it counts the update, zero_grad and the next batch, which a mode makes
// slower where it leaves the weights or gradients in the other core's cache (the MNIST MLP with its
// GEMMs split: forward and backward 3 µs faster, the whole step 0.9x of one thread's; serial, 1.0x);
// for the same reason a block's first step, which pays for the mode before it, is not counted
// (docs/performance.md, "The chooser times the whole step"). The first round is not counted either: after set_num_threads a new worker starts with a cold cache
// and an empty buffer cache, and the first trial's medians of the split modes came out 1.4x-1.7x
// the later trials'. With Serial among them, the choice is never much slower than one thread.
class StepChooser {
 public:
  static constexpr int kRounds = 3, kBlockSteps = 4, kHoldSteps = 1000;
  static constexpr int kTrialLength = kRounds * kModes * kBlockSteps;

  StepMode mode() const {
    if (trial_step_ < kTrialLength) return static_cast<StepMode>(trial_step_ / kBlockSteps % kModes);
    return chosen_;
  }
  // The time of the step that ran in mode().
  void record(double seconds_per_row) {
    const StepMode mode = this->mode();
    if (trial_step_ < kTrialLength) {
      if (trial_step_ >= kModes * kBlockSteps && trial_step_ % kBlockSteps != 0)
        times_[static_cast<int>(mode)].push_back(seconds_per_row);
      if (++trial_step_ == kTrialLength) {
        double best = median(times_[0]);
        chosen_ = StepMode::Serial;
        for (int m = 1; m < kModes; ++m)
          if (const double t = median(times_[m]); t < best) best = t, chosen_ = static_cast<StepMode>(m);
        for (auto& t : times_) t.clear();
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
  StepMode chosen_ = StepMode::SplitBatch;
  std::vector<double> times_[kModes];
};

// Each slice's backward writes the parameters' gradients into its own buffers (a GradCapture, no
// locks), kept from step to step so that each stays in the cache of the thread that runs its slice;
// then every thread sums a chunk of them into the parameters' .grad. Adding one slice's gradient into
// another's under the leaf's lock serialised that add at the end of the step.
template <class T>
struct SliceGradients {
  std::vector<GradCapture<T>> slices;

  // Slots for `params` in each of n captures, emptied of last step's gradients.
  void prepare(const std::vector<GradMeta<T>*>& params, std::size_t n) {
    slices.resize(n);
    for (GradCapture<T>& c : slices) {
      bool same = c.slots.size() == params.size();
      for (std::size_t j = 0; same && j < params.size(); ++j) same = c.slots[j].node == params[j];
      if (!same) {
        c.slots.clear();
        for (GradMeta<T>* m : params) c.slots.push_back({m, Array<T>(), false});
      }
      for (auto& slot : c.slots) slot.has_grad = false;
    }
  }

  // Adds every slice's gradient of parameter j into its .grad, chunks of it over the pool.
  void reduce(const std::vector<GradMeta<T>*>& params) {
    for (std::size_t j = 0; j < params.size(); ++j) {
      GradMeta<T>& m = *params[j];
      std::vector<const T*> parts;
      for (const GradCapture<T>& c : slices)
        if (c.slots[j].has_grad) parts.push_back(c.slots[j].grad.data());
      if (parts.empty()) continue;
      const std::lock_guard<std::mutex> lock(m.grad_mutex);  // other backward passes may reach it
      const bool fresh = !m.has_grad;
      if (fresh) m.grad = Array<T>::from_shape(m.shape);
      T* out = m.grad.data();
      parallel_for(0, static_cast<std::int64_t>(m.grad.size()), kElementwiseGrain, [&](std::int64_t b, std::int64_t e) {
        for (std::size_t p = 0; p < parts.size(); ++p) {
          const T* part = parts[p];
          if (fresh && p == 0) std::copy(part + b, part + e, out + b);
          else
            for (std::int64_t k = b; k < e; ++k) out[k] += part[k];
        }
      });
      m.has_grad = true;
    }
  }
};

struct ModelState {
  std::weak_ptr<const void> alive;  // the model's first parameter: the state goes when it does
  std::mutex buffers;               // the per-slice gradients: one split step of the model at a time
  StepChooser chooser;
  // The last measured step (its mode is still chooser.mode()): when it started, its rows (0 before the first).
  std::chrono::steady_clock::time_point last_start;
  std::size_t last_rows = 0;
  SliceGradients<float> float_grads;
  SliceGradients<double> double_grads;
};

std::mutex states_mutex;
// Keyed by model and pool size; a state lives as long as the process (the chooser's few dozen bytes
// and, for a model that is split, one gradient per parameter and slice).
std::map<std::pair<const Module*, int>, ModelState>& states() {
  static std::map<std::pair<const Module*, int>, ModelState> map;
  return map;
}

// The state of this model on a pool of `pool` threads; drops those of models that are gone.
ModelState& state_of(Module& model, int pool) {
  auto& map = states();
  for (auto it = map.begin(); it != map.end();)
    it = it->second.alive.expired() ? map.erase(it) : std::next(it);
  ModelState& s = map[{&model, pool}];
  if (s.alive.expired()) {
    static const std::shared_ptr<const void> forever = std::make_shared<int>(0);  // a model without parameters
    s.alive = forever;
    const auto params = model.parameters();
    if (!params.empty()) {
      const Tensor& p = params.front();
      if (p.scalar_type() == kFloat) s.alive = std::shared_ptr<const void>(p.variable<float>().meta());
      else if (p.scalar_type() == kDouble) s.alive = std::shared_ptr<const void>(p.variable<double>().meta());
    }
  }
  return s;
}

ModelState& locked_state_of(Module& model, int pool) {
  const std::lock_guard<std::mutex> lock(states_mutex);
  return state_of(model, pool);
}

// The model's state and the mode of this step of `rows` rows, under one lock; records the time
// since the last step started as that step's.
std::pair<ModelState*, StepMode> measured_step(Module& model, int pool, std::size_t rows) {
  const auto now = std::chrono::steady_clock::now();
  const std::lock_guard<std::mutex> lock(states_mutex);
  ModelState& s = state_of(model, pool);
  if (s.last_rows > 0)
    s.chooser.record(std::chrono::duration<double>(now - s.last_start).count() / double(s.last_rows));
  s.last_start = now, s.last_rows = rows;
  return {&s, s.chooser.mode()};
}

// The model's parameters that require grad, if all are of dtype T and x does not require grad (else
// the split falls back to backward into .grad under the leaves' locks).
template <class T>
bool trainable_params(Module& model, const Tensor& x, std::vector<GradMeta<T>*>& out) {
  if (x.requires_grad()) return false;
  for (const Tensor& p : model.parameters()) {
    if (!p.requires_grad()) continue;
    if (p.scalar_type() != scalar_type_v<T>) return false;
    out.push_back(p.variable<T>().meta().get());
  }
  return true;
}

// Slice i of `slices` of the batch: its loss, recorded on this thread's tape, and its weight
// rows/batch (in double: a Double model's weights, 1/3 and such, must not be rounded to float).
struct Slice {
  Tensor loss;
  double weight;
};
Slice slice_loss(const Forward& forward, const Tensor& x, const Tensor& y, const SliceLoss& loss, std::size_t i,
                 std::size_t slices) {
  const std::size_t batch = static_cast<std::size_t>(x.size(0));
  const std::size_t begin = batch * i / slices, end = batch * (i + 1) / slices;
  const auto b = static_cast<std::int64_t>(begin), n = static_cast<std::int64_t>(end - begin);
  Tensor l = loss(forward(x.narrow(0, b, n)), y.narrow(0, b, n));
  if (l.numel() != 1)
    throw Error("data_parallel_backward: the loss must be a scalar (a mean over the slice), got shape " +
                shape_str(l.shape()));
  return {std::move(l), static_cast<double>(end - begin) / static_cast<double>(batch)};
}

// The split step on captures: each slice's forward, loss and backward into its own gradients, then
// the gradients summed into the parameters.
template <class T>
double split_step(const Forward& forward, const Tensor& x, const Tensor& y, const SliceLoss& loss, double scale,
                  std::size_t slices, const std::vector<GradMeta<T>*>& params, SliceGradients<T>& grads) {
  grads.prepare(params, slices);
  std::vector<double> losses(slices);
  parallel_for(slices, [&](std::size_t i) {
    const Slice slice = slice_loss(forward, x, y, loss, i, slices);
    losses[i] = slice.loss.item<double>() * slice.weight;
    if (!slice.loss.requires_grad()) return;
    GradMeta<T>& m = *slice.loss.variable<T>().meta();
    m.grad = Array<T>(xt::xarray<T>(static_cast<T>(slice.weight * scale)));
    m.has_grad = true;
    Tape<T>::current().sweep(false, &grads.slices[i]);
  });
  grads.reduce(params);
  double total = 0;
  for (double v : losses) total += v;
  return total;
}

}  // namespace

void set_split_policy(SplitPolicy p) { split_policy = p; }
SplitPolicy get_split_policy() { return split_policy; }

double data_parallel_backward(Module& model, const Forward& forward, const Tensor& x, const Tensor& y,
                              const SliceLoss& loss, float scale) {
  if (x.dim() == 0 || y.dim() != 1 || x.size(0) != y.size(0))
    throw Error("data_parallel_backward: expected x of shape (B, ...) and y of shape (B,), got x " +
                shape_str(x.shape()) + " and y " + shape_str(y.shape()));
  const std::size_t batch = static_cast<std::size_t>(x.size(0));
  const int pool = get_pool_threads();
  const std::size_t slices = std::min<std::size_t>(static_cast<std::size_t>(pool), batch);
  ModelState* state = nullptr;  // when the step is measured
  StepMode mode = slices > 1 ? StepMode::SplitBatch : StepMode::Serial;
  if (slices > 1 && split_policy == SplitPolicy::Measure) std::tie(state, mode) = measured_step(model, pool, batch);
  if (slices > 1) set_chunking(mode != StepMode::Serial);
  double total = 0;
  std::vector<GradMeta<float>*> float_params;
  std::vector<GradMeta<double>*> double_params;
  if (mode != StepMode::SplitBatch) {
    const auto whole = [&](std::size_t) {
      Tensor l = loss(forward(x), y);
      if (scale == 1.0f) l.backward();
      else l.backward(seed(scale));
      total = l.item<double>();
    };
    // As one task of the pool the step runs on this thread alone, its GEMMs included.
    if (mode == StepMode::Serial) parallel_for(1, whole);
    else whole(0);
  } else if (trainable_params(model, x, float_params)) {
    ModelState& s = state ? *state : locked_state_of(model, pool);
    const std::lock_guard<std::mutex> lock(s.buffers);
    total = split_step<float>(forward, x, y, loss, scale, slices, float_params, s.float_grads);
  } else if (trainable_params(model, x, double_params)) {
    ModelState& s = state ? *state : locked_state_of(model, pool);
    const std::lock_guard<std::mutex> lock(s.buffers);
    total = split_step<double>(forward, x, y, loss, scale, slices, double_params, s.double_grads);
  } else {
    std::vector<double> losses(slices);
    parallel_for(slices, [&](std::size_t i) {
      const Slice slice = slice_loss(forward, x, y, loss, i, slices);
      slice.loss.backward(seed(slice.weight * scale));
      losses[i] = slice.loss.item<double>() * slice.weight;
    });
    for (double v : losses) total += v;
  }
  return total;
}

}  // namespace tg::nn
