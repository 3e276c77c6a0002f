// Process-wide heap allocation counters for benchmarks that must prove "no allocation per packet".
//
// Linking bench/support/alloc_counter.cpp into a benchmark replaces the global operator new/delete
// family (every C++ allocation, ours and the standard library's) and interposes malloc, calloc and
// realloc (so allocations inside C libraries such as libsrtp2, its NSS crypto backend and OpenSSL
// are seen too; the executable's definitions win over libc's in symbol resolution). Both forward to
// glibc's allocator. Counters are relaxed atomics; read them before and after a measured region.
// Each thread also keeps its own pair, so a benchmark can count one thread's allocations (a media
// worker's) while other threads set up calls. Thread-safe. Only for benchmark executables: never
// link it into a library or a test.
#pragma once

#include <atomic>
#include <cstdint>

namespace rtcgate::bench {

struct AllocCounts {
  std::uint64_t news = 0;     // calls of any global operator new (C++ code)
  std::uint64_t mallocs = 0;  // calls of malloc/calloc/realloc (C++ operator new included)

  friend AllocCounts operator-(const AllocCounts& a, const AllocCounts& b) noexcept {
    return {a.news - b.news, a.mallocs - b.mallocs};
  }
};

// The whole process's counts.
[[nodiscard]] AllocCounts alloc_counts() noexcept;

// One thread's counters: get them on that thread, read them from any thread.
struct ThreadAllocCounters {
  const std::atomic<std::uint64_t>* news;
  const std::atomic<std::uint64_t>* mallocs;

  [[nodiscard]] AllocCounts read() const noexcept {
    return {news->load(std::memory_order_relaxed), mallocs->load(std::memory_order_relaxed)};
  }
};
[[nodiscard]] ThreadAllocCounters this_thread_alloc_counters() noexcept;

}  // namespace rtcgate::bench
