// Replaces the global operator new/delete of the test binary that includes this header (include it
// from exactly one translation unit) so a test can prove a path makes no C++ heap allocation:
// read operator_new_count() before and after and compare. Counting is not timing.
// Allocations inside C libraries (malloc) are not counted here; bench/support/alloc_counter does that
// for the benchmarks, which are not run under the sanitizers' own allocators.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace rtcgate::test {
inline std::atomic<std::uint64_t> g_operator_new_calls{0};

inline std::uint64_t operator_new_count() noexcept {
  return g_operator_new_calls.load(std::memory_order_relaxed);
}

inline void* counted_new(std::size_t size) noexcept {
  g_operator_new_calls.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}
}  // namespace rtcgate::test

// GCC pairs the malloc it sees behind these replacements with the free behind the deletes and
// warns (-Wmismatched-new-delete); they are the replaceable operators themselves, so it cannot apply.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t size) {
  void* pointer = rtcgate::test::counted_new(size);
  if (pointer == nullptr) throw std::bad_alloc();
  return pointer;
}
void* operator new[](std::size_t size) {
  void* pointer = rtcgate::test::counted_new(size);
  if (pointer == nullptr) throw std::bad_alloc();
  return pointer;
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return rtcgate::test::counted_new(size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return rtcgate::test::counted_new(size);
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
#pragma GCC diagnostic pop
