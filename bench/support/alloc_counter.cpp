#include "support/alloc_counter.hpp"

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

// glibc exports its allocator under these internal names as well, so an executable that interposes
// malloc can forward to the real implementation without dlsym (which itself allocates).
extern "C" {
void* __libc_malloc(std::size_t size);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* pointer, std::size_t size);
}

namespace {

std::atomic<std::uint64_t> g_news{0};
std::atomic<std::uint64_t> g_mallocs{0};
thread_local std::atomic<std::uint64_t> t_news{0};
thread_local std::atomic<std::uint64_t> t_mallocs{0};

void count_new() noexcept {
  g_news.fetch_add(1, std::memory_order_relaxed);
  t_news.fetch_add(1, std::memory_order_relaxed);
}

void count_malloc() noexcept {
  g_mallocs.fetch_add(1, std::memory_order_relaxed);
  t_mallocs.fetch_add(1, std::memory_order_relaxed);
}

void* counted_new(std::size_t size) {
  count_new();
  void* pointer = std::malloc(size == 0 ? 1 : size);
  if (pointer == nullptr) throw std::bad_alloc();
  return pointer;
}

void* counted_new_nothrow(std::size_t size) noexcept {
  count_new();
  return std::malloc(size == 0 ? 1 : size);
}

void* counted_aligned_new(std::size_t size, std::align_val_t alignment) {
  count_new();
  const auto align = static_cast<std::size_t>(alignment);
  // aligned_alloc wants a multiple of the alignment.
  const std::size_t rounded = ((size == 0 ? 1 : size) + align - 1) / align * align;
  void* pointer = std::aligned_alloc(align, rounded);
  if (pointer == nullptr) throw std::bad_alloc();
  return pointer;
}

}  // namespace

namespace rtcgate::bench {

AllocCounts alloc_counts() noexcept {
  return {g_news.load(std::memory_order_relaxed), g_mallocs.load(std::memory_order_relaxed)};
}

ThreadAllocCounters this_thread_alloc_counters() noexcept {
  return {&t_news, &t_mallocs};
}

}  // namespace rtcgate::bench

extern "C" {

void* malloc(std::size_t size) noexcept {
  count_malloc();
  return __libc_malloc(size);
}

void* calloc(std::size_t count, std::size_t size) noexcept {
  count_malloc();
  return __libc_calloc(count, size);
}

void* realloc(void* pointer, std::size_t size) noexcept {
  count_malloc();
  return __libc_realloc(pointer, size);
}

}  // extern "C"

void* operator new(std::size_t size) {
  return counted_new(size);
}
void* operator new[](std::size_t size) {
  return counted_new(size);
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return counted_new_nothrow(size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return counted_new_nothrow(size);
}
void* operator new(std::size_t size, std::align_val_t alignment) {
  return counted_aligned_new(size, alignment);
}
void* operator new[](std::size_t size, std::align_val_t alignment) {
  return counted_aligned_new(size, alignment);
}
void* operator new(std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
  try {
    return counted_aligned_new(size, alignment);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
  try {
    return counted_aligned_new(size, alignment);
  } catch (...) {
    return nullptr;
  }
}

void operator delete(void* pointer) noexcept {
  std::free(pointer);
}
void operator delete[](void* pointer) noexcept {
  std::free(pointer);
}
void operator delete(void* pointer, std::size_t) noexcept {
  std::free(pointer);
}
void operator delete[](void* pointer, std::size_t) noexcept {
  std::free(pointer);
}
void operator delete(void* pointer, const std::nothrow_t&) noexcept {
  std::free(pointer);
}
void operator delete[](void* pointer, const std::nothrow_t&) noexcept {
  std::free(pointer);
}
void operator delete(void* pointer, std::align_val_t) noexcept {
  std::free(pointer);
}
void operator delete[](void* pointer, std::align_val_t) noexcept {
  std::free(pointer);
}
void operator delete(void* pointer, std::size_t, std::align_val_t) noexcept {
  std::free(pointer);
}
void operator delete[](void* pointer, std::size_t, std::align_val_t) noexcept {
  std::free(pointer);
}
void operator delete(void* pointer, std::align_val_t, const std::nothrow_t&) noexcept {
  std::free(pointer);
}
void operator delete[](void* pointer, std::align_val_t, const std::nothrow_t&) noexcept {
  std::free(pointer);
}
