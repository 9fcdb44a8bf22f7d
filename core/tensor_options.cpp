#include <tapegrad/core/tensor_options.hpp>

#include <ostream>

namespace tg {

std::ostream& operator<<(std::ostream& out, const TensorOptions& options) {
  return out << "TensorOptions(dtype=" << options.dtype() << ", device=" << options.device()
             << ", requires_grad=" << (options.requires_grad() ? "true" : "false") << ")";
}

}  // namespace tg
