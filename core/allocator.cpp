#include <tapegrad/core/allocator.hpp>

#include <string>

#include <tapegrad/core/array.hpp>

// Under AddressSanitizer the cache is bypassed: a cached block handed out again at once would turn a
// use after free into a silent read of another tensor's data, where ASan's quarantine reports it.
#if defined(__SANITIZE_ADDRESS__)
#define TG_BUFFER_CACHE 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TG_BUFFER_CACHE 0
#endif
#endif
#ifndef TG_BUFFER_CACHE
#define TG_BUFFER_CACHE 1
#endif

namespace tg {
namespace {

constexpr std::align_val_t kAlign{kBufferAlignment};

void* system_allocate(std::size_t bytes) { return ::operator new(bytes, kAlign); }
// Sized where the compiler has sized deallocation (clang 14 does not by default), so that ASan checks
// that a buffer is given back with the size it was allocated with.
void system_deallocate(void* p, [[maybe_unused]] std::size_t bytes) noexcept {
#ifdef __cpp_sized_deallocation
  ::operator delete(p, bytes, kAlign);
#else
  ::operator delete(p, kAlign);
#endif
}

#if TG_BUFFER_CACHE

// Size classes: 64 bytes, then four per power of two (80, 96, 112, 128, 160, ...), so a block is at
// most 25% larger than asked, up to kMaxCachedBlockBytes.
constexpr std::size_t kMinBlock = 64;
constexpr int kMinShift = 6;  // log2(kMinBlock)
constexpr int kMaxShift = 26;  // log2(kMaxCachedBlockBytes)
static_assert((std::size_t(1) << kMaxShift) == kMaxCachedBlockBytes);
constexpr std::size_t kClasses = 1 + 4 * (kMaxShift - kMinShift);

// The size of the blocks of class c.
constexpr std::size_t class_bytes(std::size_t c) {
  if (c == 0) return kMinBlock;
  const std::size_t p = kMinShift + (c - 1) / 4, k = (c - 1) % 4;
  return (std::size_t(1) << p) + (k + 1) * (std::size_t(1) << (p - 2));
}
static_assert(class_bytes(kClasses - 1) == kMaxCachedBlockBytes);

// The class of the smallest blocks holding `bytes`, for 0 < bytes <= kMaxCachedBlockBytes.
std::size_t size_class(std::size_t bytes) {
  if (bytes <= kMinBlock) return 0;
  const int p = 63 - __builtin_clzll(bytes - 1);  // 2^p < bytes <= 2^(p+1), p >= kMinShift
  const std::size_t k = (bytes - 1 - (std::size_t(1) << p)) >> (p - 2);  // which quarter: 0..3
  return 1 + 4 * std::size_t(p - kMinShift) + k;
}

struct FreeBlock {
  FreeBlock* next;
};

enum class CacheState : unsigned char { Unused, Live, Closed };

// Plain data, so that it stays readable while the thread's other thread_locals are destroyed: a
// buffer freed after the cache was released at thread exit (by a thread_local or, on the main
// thread, a static destroyed later) goes straight back to the system.
struct ThreadCache {
  FreeBlock* free[kClasses];
  std::size_t bytes;
  CacheState state;
};
thread_local ThreadCache cache;

void release_cached() noexcept {
  for (std::size_t c = 0; c < kClasses; ++c)
    while (FreeBlock* b = cache.free[c]) {
      cache.free[c] = b->next;
      system_deallocate(b, class_bytes(c));
    }
  cache.bytes = 0;
}

// Releases the cache when its thread ends.
struct CacheCloser {
  ~CacheCloser() {
    release_cached();
    cache.state = CacheState::Closed;
  }
};

void open_cache() {
  thread_local CacheCloser closer;  // constructed here, on the thread's first cached free
  (void)closer;
  cache.state = CacheState::Live;
}

#endif

}  // namespace

namespace detail {

void* allocate_buffer(std::size_t bytes) {
#if TG_BUFFER_CACHE
  if (bytes <= kMaxCachedBlockBytes) {
    const std::size_t c = size_class(bytes);
    if (FreeBlock* b = cache.free[c]) {
      cache.free[c] = b->next;
      cache.bytes -= class_bytes(c);
      return b;
    }
    return system_allocate(class_bytes(c));
  }
#endif
  return system_allocate(bytes);
}

void deallocate_buffer(void* p, std::size_t bytes) noexcept {
#if TG_BUFFER_CACHE
  if (bytes <= kMaxCachedBlockBytes) {
    const std::size_t c = size_class(bytes), block = class_bytes(c);
    if (cache.state == CacheState::Unused) open_cache();
    if (cache.state == CacheState::Closed || cache.bytes + block > kMaxCachedBytesPerThread) {
      system_deallocate(p, block);
      return;
    }
    cache.free[c] = new (p) FreeBlock{cache.free[c]};
    cache.bytes += block;
    return;
  }
#endif
  system_deallocate(p, bytes);
}

void throw_buffer_too_large(std::size_t n, std::size_t element_size) {
  throw Error("allocate: " + std::to_string(n) + " elements of " + std::to_string(element_size) +
              " bytes overflow the address space");
}

}  // namespace detail

void empty_cache() {
#if TG_BUFFER_CACHE
  release_cached();
#endif
}

std::size_t cached_bytes() {
#if TG_BUFFER_CACHE
  return cache.bytes;
#else
  return 0;
#endif
}

bool buffer_cache_enabled() { return TG_BUFFER_CACHE != 0; }

}  // namespace tg
