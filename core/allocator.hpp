// The allocator of every tg::Array's buffer: a per-thread cache of freed blocks, by size class.
//
// A training step frees and allocates the same buffers every iteration. glibc's malloc hands a freed
// block over 128 KiB back to the OS and faults it in again on the next allocation, which made a 64x784
// matmul forward+backward several times slower (docs/performance.md). Instead of changing malloc for
// the whole process, tapegrad keeps its own freed buffers, as LibTorch's CUDA caching allocator keeps
// its blocks: a freed block goes on its thread's free list for its size class, and the next allocation
// of that class on that thread takes it back. Nothing else in the process is affected.
//
// Bounds: a thread caches at most kMaxCachedBytesPerThread bytes (a block freed past that goes back to
// the system), blocks over kMaxCachedBlockBytes are never cached, and a thread's cache is released
// when the thread ends or on tg::empty_cache(). A block may be freed on another thread than the one
// that allocated it; it then joins the freeing thread's cache.
#pragma once

#include <cstddef>
#include <new>

namespace tg {

// Every buffer starts on a 64-byte boundary (a cache line, one AVX-512 vector).
constexpr std::size_t kBufferAlignment = 64;
constexpr std::size_t kMaxCachedBytesPerThread = std::size_t(256) << 20;
constexpr std::size_t kMaxCachedBlockBytes = std::size_t(64) << 20;

// Returns every block the calling thread has cached to the system (the name is PyTorch's
// torch.cuda.empty_cache, for its GPU cache; LibTorch's CPU allocator caches nothing). Buffers in use
// are untouched.
void empty_cache();
// The bytes the calling thread holds in freed blocks, ready for reuse.
std::size_t cached_bytes();
// Whether this build caches at all: not under AddressSanitizer, so that every freed buffer goes
// through ASan's quarantine and a use after free is reported (core/allocator.cpp).
bool buffer_cache_enabled();

namespace detail {
void* allocate_buffer(std::size_t bytes);
void deallocate_buffer(void* p, std::size_t bytes) noexcept;
[[noreturn]] void throw_buffer_too_large(std::size_t n, std::size_t element_size);
}  // namespace detail

// The std allocator that tg::Array uses for its elements (core/array.hpp). It lives in a namespace
// of its own because a template argument's namespace joins argument-dependent lookup: declared in tg,
// it would make xtensor's unqualified calls on an Array (`sum<T>(e)` inside xt::mean) consider
// tg::sum and the other tg ops.
namespace buffer_allocator {

template <class T>
struct BufferAllocator {
  using value_type = T;

  BufferAllocator() noexcept = default;
  template <class U>
  BufferAllocator(const BufferAllocator<U>&) noexcept {}  // NOLINT: rebinding, as std::allocator

  T* allocate(std::size_t n) {
    if (n > std::size_t(-1) / sizeof(T)) detail::throw_buffer_too_large(n, sizeof(T));
    return static_cast<T*>(detail::allocate_buffer(n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t n) noexcept { detail::deallocate_buffer(p, n * sizeof(T)); }

  template <class U>
  struct rebind {
    using other = BufferAllocator<U>;
  };
};

template <class T, class U>
bool operator==(const BufferAllocator<T>&, const BufferAllocator<U>&) noexcept {
  return true;
}
template <class T, class U>
bool operator!=(const BufferAllocator<T>&, const BufferAllocator<U>&) noexcept {
  return false;
}

}  // namespace buffer_allocator

using buffer_allocator::BufferAllocator;

}  // namespace tg
