// Anomaly detection: while on, every op's forward output and every gradient a backward function
// produces is checked for NaN and infinity, and the first one found throws tg::Error naming the op,
// its input and output shapes, and the pass (forward or backward). LibTorch's names; two differences:
// the mode is per thread, like GradMode (LibTorch's is process-wide), and it checks infinities as well
// as NaNs in both passes (LibTorch checks backward outputs for NaN). Off, it costs one thread-local
// flag test per op and per backward.
//
//   {
//     tg::detect_anomaly guard;  // or tg::autograd::DetectAnomalyGuard
//     loss = model.forward(x); loss.backward();
//   }
#pragma once

namespace tg {
namespace autograd {

struct AnomalyMode {
  static bool is_enabled();
  static void set_enabled(bool enabled);
};

// RAII: anomaly detection on for this thread while it lives.
class DetectAnomalyGuard {
 public:
  DetectAnomalyGuard() : previous_(AnomalyMode::is_enabled()) { AnomalyMode::set_enabled(true); }
  ~DetectAnomalyGuard() { AnomalyMode::set_enabled(previous_); }
  DetectAnomalyGuard(const DetectAnomalyGuard&) = delete;
  DetectAnomalyGuard& operator=(const DetectAnomalyGuard&) = delete;

 private:
  bool previous_;
};

}  // namespace autograd

// Python's spelling, torch.autograd.detect_anomaly: `tg::detect_anomaly guard;`.
using detect_anomaly = autograd::DetectAnomalyGuard;

}  // namespace tg
