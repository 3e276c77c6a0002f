// PacketBuffer: one fixed-capacity datagram buffer of the media packet path.
//
// Layout: [kPacketHeadroom | kPacketDataCapacity | kPacketTailroom]. A freshly reset buffer starts its
// data at the head room, so a received datagram can later grow in front (e.g. a header) and behind
// (the SRTP/SRTCP trailer: tag + MKI + SRTCP index, RFC 3711 §3.1/§3.4) without copying. The data
// start stays 32-bit aligned as long as callers move the front by multiples of 4, which libsrtp2
// requires (it reads 32-bit words in place).
//
// Ownership: a PacketBuffer lives in a PacketPool (packet_pool.hpp) and is handed out as a PacketPtr;
// views (RtpView, RtcpView) and spans into it never outlive that PacketPtr.
// Thread affinity: the owning worker only; no member is synchronised.
// Units: sizes in bytes; arrival time on the steady (monotonic) clock.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>

#include <sys/socket.h>

namespace rtcgate::media {

inline constexpr std::size_t kPacketHeadroom = 128;
inline constexpr std::size_t kPacketDataCapacity = 1500;
inline constexpr std::size_t kPacketTailroom = 160;
// libsrtp2's SRTP_MAX_TRAILER_LEN (16 B tag + 128 B MKI) plus the 4-byte SRTCP index (RFC 3711 §3.4).
inline constexpr std::size_t kSrtpMaxTrailer = 144 + 4;
static_assert(kPacketTailroom >= kSrtpMaxTrailer);

// A socket address held inline (no heap): large enough for IPv4 and IPv6.
struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;

  [[nodiscard]] const sockaddr* get() const noexcept { return reinterpret_cast<const sockaddr*>(&storage); }
  [[nodiscard]] sockaddr* get() noexcept { return reinterpret_cast<sockaddr*>(&storage); }
  [[nodiscard]] bool empty() const noexcept { return length == 0; }
};

// Address and port equality (IPv4 and IPv6; other families compare their raw bytes).
bool operator==(const SocketAddress& a, const SocketAddress& b) noexcept;

class PacketBuffer {
 public:
  static constexpr std::size_t kCapacity = kPacketHeadroom + kPacketDataCapacity + kPacketTailroom;

  PacketBuffer() noexcept = default;
  PacketBuffer(const PacketBuffer&) = delete;
  PacketBuffer& operator=(const PacketBuffer&) = delete;

  // Empty data at the default head room; clears the arrival time and source.
  void reset() noexcept;

  // The packet bytes [offset, offset + size).
  [[nodiscard]] std::span<std::byte> data() noexcept { return {bytes_.data() + offset_, size_}; }
  [[nodiscard]] std::span<const std::byte> data() const noexcept { return {bytes_.data() + offset_, size_}; }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] std::size_t offset() const noexcept { return offset_; }
  [[nodiscard]] std::size_t headroom() const noexcept { return offset_; }
  [[nodiscard]] std::size_t tailroom() const noexcept { return kCapacity - offset_ - size_; }

  // Where a receive call writes: kPacketDataCapacity bytes from the current offset (clamped to the
  // buffer). Follow it with set_size(bytes received).
  [[nodiscard]] std::span<std::byte> receive_area() noexcept;
  // Every byte from the offset to the end of the buffer: the data plus the tail room. An in-place
  // transform that grows the packet (SRTP protect) writes here, then calls set_size().
  [[nodiscard]] std::span<std::byte> writable_tail() noexcept {
    return {bytes_.data() + offset_, kCapacity - offset_};
  }

  // Each returns false and changes nothing when the request does not fit.
  bool set_size(std::size_t size) noexcept;
  bool push_front(std::size_t bytes) noexcept;             // grow into the head room
  bool pull_front(std::size_t bytes) noexcept;             // drop bytes from the front
  bool assign(std::span<const std::byte> bytes) noexcept;  // reset() + copy (for tests and clones)

  std::chrono::steady_clock::time_point arrival{};
  SocketAddress source{};

 private:
  alignas(16) std::array<std::byte, kCapacity> bytes_{};
  std::uint32_t offset_ = kPacketHeadroom;
  std::uint32_t size_ = 0;
};

}  // namespace rtcgate::media
