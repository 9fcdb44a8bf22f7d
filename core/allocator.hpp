// glibc's malloc hands big freed blocks (over 128 KiB) back to the OS and faults them in again on
// the next allocation. A training step allocates the same large buffers every iteration, so this
// made a 64x784 matmul forward+backward several times slower (docs/performance.md).
// tapegrad therefore calls tune_allocator() once when the program starts, keeping freed memory in
// the process for reuse, as LibTorch's caching allocator keeps its blocks.
#pragma once

namespace tg {

void tune_allocator();

}  // namespace tg
