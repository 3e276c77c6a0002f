#include "rtcgate/media/packet/packet_pool.hpp"

#include <cassert>

namespace rtcgate::media {

void PacketReturn::operator()(PacketBuffer* buffer) const noexcept {
  if (buffer != nullptr && pool != nullptr) pool->release(buffer);
}

PacketPool::PacketPool(std::size_t count) : count_(count), storage_(std::make_unique<PacketBuffer[]>(count)) {
  free_.reserve(count);
  // Hand out the lowest addresses first (better locality while the pool is mostly idle).
  for (std::size_t i = count; i > 0; --i)
    free_.push_back(&storage_[i - 1]);
}

PacketPool::~PacketPool() {
  // A PacketPtr outliving its pool would return memory that no longer exists.
  assert(free_.size() == count_ && "PacketPtr outlived its PacketPool");
}

PacketPtr PacketPool::acquire() noexcept {
  if (free_.empty()) return PacketPtr(nullptr, PacketReturn{this});
  PacketBuffer* buffer = free_.back();
  free_.pop_back();
  buffer->reset();
  return PacketPtr(buffer, PacketReturn{this});
}

void PacketPool::release(PacketBuffer* buffer) noexcept {
  assert(buffer >= storage_.get() && buffer < storage_.get() + count_);
  // Never reallocates: the vector's capacity is count_ and each buffer is returned once.
  free_.push_back(buffer);
}

}  // namespace rtcgate::media
