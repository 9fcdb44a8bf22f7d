#include <tapegrad/core/anomaly_mode.hpp>

namespace tg::autograd {
namespace {
thread_local bool anomaly_enabled = false;
}

bool AnomalyMode::is_enabled() { return anomaly_enabled; }
void AnomalyMode::set_enabled(bool enabled) { anomaly_enabled = enabled; }

}  // namespace tg::autograd
