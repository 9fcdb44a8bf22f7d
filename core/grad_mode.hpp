// Grad mode: whether ops record onto the tape. Thread-local, like LibTorch's.
#pragma once

namespace tg {

struct GradMode {
  static bool is_enabled();
  static void set_enabled(bool enabled);
};

// RAII: nothing is recorded on this thread while it lives (evaluation, optimizer updates).
class NoGradGuard {
 public:
  NoGradGuard() : previous_(GradMode::is_enabled()) { GradMode::set_enabled(false); }
  ~NoGradGuard() { GradMode::set_enabled(previous_); }
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  bool previous_;
};

}  // namespace tg
