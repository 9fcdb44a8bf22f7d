#include <tapegrad/core/allocator.hpp>

#include <malloc.h>

namespace tg {

void tune_allocator() {
  // Serve every block below 1 GiB from the heap and never trim it: freed buffers are reused as-is.
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
}

namespace {
// Runs at start-up in every program that links tapegrad: core/tape.cpp references it, so the
// linker keeps this object file.
const bool allocator_tuned = (tune_allocator(), true);
}  // namespace

bool allocator_is_tuned() { return allocator_tuned; }

}  // namespace tg
