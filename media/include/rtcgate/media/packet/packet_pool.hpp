// PacketPool / PacketPtr: the per-worker preallocated packet store.
//
// A pool allocates all of its PacketBuffers once, in its constructor. acquire() pops a reset buffer
// from a single-threaded free list (no atomics, no locks) and returns it as a PacketPtr, a unique_ptr
// whose deleter pushes it back. An empty pool returns nullptr: the caller drops the datagram and
// counts Drop::PoolExhausted. The pool never falls back to the heap (back-pressure instead of growth).
//
// Ownership: the pool owns the memory; a PacketPtr owns one buffer's use. Every PacketPtr must be
// released before its pool is destroyed (checked in debug builds).
// Thread affinity: one worker thread. Packets never cross threads; copy one if it must.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "rtcgate/media/packet/packet_buffer.hpp"

namespace rtcgate::media {

class PacketPool;

struct PacketReturn {
  PacketPool* pool = nullptr;
  void operator()(PacketBuffer* buffer) const noexcept;
};

using PacketPtr = std::unique_ptr<PacketBuffer, PacketReturn>;

class PacketPool {
 public:
  explicit PacketPool(std::size_t count);
  ~PacketPool();
  PacketPool(const PacketPool&) = delete;
  PacketPool& operator=(const PacketPool&) = delete;

  // A reset buffer, or nullptr when every buffer is in use. Never allocates.
  [[nodiscard]] PacketPtr acquire() noexcept;

  [[nodiscard]] std::size_t capacity() const noexcept { return count_; }
  [[nodiscard]] std::size_t available() const noexcept { return free_.size(); }
  [[nodiscard]] std::size_t in_use() const noexcept { return count_ - free_.size(); }

 private:
  friend struct PacketReturn;
  void release(PacketBuffer* buffer) noexcept;

  std::size_t count_;
  std::unique_ptr<PacketBuffer[]> storage_;
  std::vector<PacketBuffer*> free_;  // capacity reserved up front: push/pop never reallocate
};

}  // namespace rtcgate::media
