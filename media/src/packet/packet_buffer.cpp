#include "rtcgate/media/packet/packet_buffer.hpp"

#include <algorithm>
#include <cstring>

#include <netinet/in.h>

namespace rtcgate::media {

bool operator==(const SocketAddress& a, const SocketAddress& b) noexcept {
  if (a.storage.ss_family != b.storage.ss_family) return false;
  if (a.storage.ss_family == AF_INET) {
    const auto* x = reinterpret_cast<const sockaddr_in*>(&a.storage);
    const auto* y = reinterpret_cast<const sockaddr_in*>(&b.storage);
    return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
  }
  if (a.storage.ss_family == AF_INET6) {
    const auto* x = reinterpret_cast<const sockaddr_in6*>(&a.storage);
    const auto* y = reinterpret_cast<const sockaddr_in6*>(&b.storage);
    return x->sin6_port == y->sin6_port && x->sin6_scope_id == y->sin6_scope_id &&
           std::memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(in6_addr)) == 0;
  }
  return a.length == b.length && std::memcmp(&a.storage, &b.storage, a.length) == 0;
}

void PacketBuffer::reset() noexcept {
  offset_ = kPacketHeadroom;
  size_ = 0;
  arrival = {};
  source.length = 0;
  source.storage.ss_family = AF_UNSPEC;
}

std::span<std::byte> PacketBuffer::receive_area() noexcept {
  return {bytes_.data() + offset_, std::min(kPacketDataCapacity, kCapacity - offset_)};
}

bool PacketBuffer::set_size(std::size_t size) noexcept {
  if (size > kCapacity - offset_) return false;
  size_ = static_cast<std::uint32_t>(size);
  return true;
}

bool PacketBuffer::push_front(std::size_t bytes) noexcept {
  if (bytes > offset_) return false;
  offset_ -= static_cast<std::uint32_t>(bytes);
  size_ += static_cast<std::uint32_t>(bytes);
  return true;
}

bool PacketBuffer::pull_front(std::size_t bytes) noexcept {
  if (bytes > size_) return false;
  offset_ += static_cast<std::uint32_t>(bytes);
  size_ -= static_cast<std::uint32_t>(bytes);
  return true;
}

bool PacketBuffer::assign(std::span<const std::byte> bytes) noexcept {
  reset();
  if (bytes.size() > kCapacity - offset_) return false;
  if (!bytes.empty()) std::memcpy(bytes_.data() + offset_, bytes.data(), bytes.size());
  size_ = static_cast<std::uint32_t>(bytes.size());
  return true;
}

}  // namespace rtcgate::media
