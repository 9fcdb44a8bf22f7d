// The buffer cache (core/allocator.hpp): a freed block is reused by the next allocation of its size
// class on its thread, the cache stays within its bound, empty_cache releases it, blocks may be freed
// on another thread, and linking tapegrad leaves glibc's malloc settings alone.
#include <malloc.h>

#include <cstdint>
#include <cstdlib>
#include <thread>
#include <vector>

#include "check.hpp"

using tg::Array;
using tg::BufferAllocator;

namespace {

// Whether this test binary was built with AddressSanitizer, as core/allocator.cpp decides.
constexpr bool kAsan =
#if defined(__SANITIZE_ADDRESS__)
    true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    true;
#else
    false;
#endif
#else
    false;
#endif

}  // namespace

TEST_CASE("buffer cache: bypassed under AddressSanitizer only, so that ASan sees every use after free") {
  CHECK(tg::buffer_cache_enabled() == !kAsan);
}

TEST_CASE("buffer cache: a freed block is handed out again for the next allocation of its size class") {
  tg::empty_cache();
  BufferAllocator<float> alloc;
  float* a = alloc.allocate(1000);
  CHECK(reinterpret_cast<std::uintptr_t>(a) % tg::kBufferAlignment == 0);
  alloc.deallocate(a, 1000);
  if (!tg::buffer_cache_enabled()) {
    CHECK(tg::cached_bytes() == 0);
    return;
  }
  CHECK(tg::cached_bytes() >= 4000);
  CHECK(tg::cached_bytes() <= 5000);  // size classes are at most 25% larger than asked
  float* b = alloc.allocate(990);     // 3960 bytes: the same class as 4000
  CHECK(b == a);
  CHECK(tg::cached_bytes() == 0);
  BufferAllocator<double> other;
  double* c = other.allocate(1000);  // 8000 bytes: another class
  CHECK(static_cast<void*>(c) != static_cast<void*>(b));
  other.deallocate(c, 1000);
  alloc.deallocate(b, 990);
  tg::empty_cache();

  // Through tg::Array, as a training step reallocates its buffers.
  const float* first = nullptr;
  {
    Array<float> x = Array<float>::from_shape({64, 784});
    first = x.data();
  }
  Array<float> y = Array<float>::from_shape({64, 784});
  CHECK(y.data() == first);
}

TEST_CASE("buffer cache: bounded per thread, blocks over the largest class are never cached") {
  tg::empty_cache();
  BufferAllocator<char> alloc;
  const std::size_t n = tg::kMaxCachedBytesPerThread / tg::kMaxCachedBlockBytes + 2;
  std::vector<char*> blocks;
  for (std::size_t i = 0; i < n; ++i) blocks.push_back(alloc.allocate(tg::kMaxCachedBlockBytes));
  for (char* b : blocks) alloc.deallocate(b, tg::kMaxCachedBlockBytes);
  CHECK(tg::cached_bytes() <= tg::kMaxCachedBytesPerThread);
  if (tg::buffer_cache_enabled()) CHECK(tg::cached_bytes() > tg::kMaxCachedBytesPerThread - tg::kMaxCachedBlockBytes);
  tg::empty_cache();

  char* big = alloc.allocate(tg::kMaxCachedBlockBytes + 1);
  alloc.deallocate(big, tg::kMaxCachedBlockBytes + 1);
  CHECK(tg::cached_bytes() == 0);
}

TEST_CASE("buffer cache: empty_cache releases this thread's blocks and leaves buffers in use alone") {
  Array<double> kept = {1.0, 2.0, 3.0};
  for (int i = 1; i <= 20; ++i) Array<float> tmp = Array<float>::from_shape({std::size_t(i) * 1000});
  if (tg::buffer_cache_enabled()) CHECK(tg::cached_bytes() > 0);
  tg::empty_cache();
  CHECK(tg::cached_bytes() == 0);
  CHECK(kept(2) == 3.0);
}

TEST_CASE("buffer cache: a buffer made on one thread and freed on another, and the other way round") {
  tg::empty_cache();
  Array<float> from_worker;
  std::size_t worker_cached = 0;
  std::thread([&] {
    from_worker = Array<float>::from_shape({5000});
    from_worker.fill(1.5f);
    {
      Array<float> local = Array<float>::from_shape({3000});  // freed on its own thread, into its cache
      local.fill(2.f);
    }
    worker_cached = tg::cached_bytes();
  }).join();  // the worker's cache is released as it ends
  if (tg::buffer_cache_enabled()) CHECK(worker_cached >= 3000 * sizeof(float));
  CHECK(tg::cached_bytes() == 0);  // another thread's frees never reach this thread's cache
  CHECK(from_worker(4999) == 1.5f);
  from_worker = Array<float>();  // freed here: into this thread's cache
  if (tg::buffer_cache_enabled()) CHECK(tg::cached_bytes() >= 5000 * sizeof(float));

  Array<float> to_worker = Array<float>::from_shape({7000});
  to_worker.fill(3.f);
  std::thread([&] {
    CHECK(to_worker(6999) == 3.f);
    to_worker = Array<float>();
    if (tg::buffer_cache_enabled()) CHECK(tg::cached_bytes() >= 7000 * sizeof(float));
  }).join();
  tg::empty_cache();
}

TEST_CASE("linking tapegrad leaves malloc's settings alone: a 64 MiB malloc is still mmap-ed") {
  if (kAsan) return;  // ASan replaces malloc; mallinfo2 then reports nothing
  // glibc serves a block above its largest dynamic mmap threshold (32 MiB) by mmap unless mallopt
  // raised M_MMAP_THRESHOLD, as tapegrad once did from a static initialiser.
  tg::Variable<float> x(Array<float>{1.f}, true);  // the library's objects linked and started
  const auto before = mallinfo2().hblks;
  void* p = std::malloc(std::size_t(64) << 20);
  REQUIRE(p != nullptr);
  CHECK(mallinfo2().hblks == before + 1);
  std::free(p);
}
