// RtpWriter: in-place rewrite of the RTP fixed header fields a relay changes (RFC 3550 §5.1):
// payload type, marker, sequence number, timestamp, SSRC. Used by the route plan after SRTP
// unprotect (browser -> legacy) and before SRTP protect (legacy -> browser).
//
// Ownership: borrows a mutable span (the caller's PacketBuffer data); must not outlive it.
// wrap() checks the 12-byte fixed header and version once; setters then write without checks.
// Thread affinity: the buffer owner's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <span>

#include "rtcgate/media/rtp/rtp_view.hpp"

namespace rtcgate::media {

class RtpWriter {
 public:
  [[nodiscard]] static std::expected<RtpWriter, RtpError> wrap(std::span<std::byte> packet) noexcept;

  [[nodiscard]] bool marker() const noexcept;
  [[nodiscard]] std::uint8_t payload_type() const noexcept;
  [[nodiscard]] std::uint16_t sequence() const noexcept;
  [[nodiscard]] std::uint32_t timestamp() const noexcept;
  [[nodiscard]] std::uint32_t ssrc() const noexcept;

  void set_marker(bool marker) noexcept;
  void set_payload_type(std::uint8_t payload_type) noexcept;  // low 7 bits used
  void set_sequence(std::uint16_t sequence) noexcept;
  void set_timestamp(std::uint32_t timestamp) noexcept;
  void set_ssrc(std::uint32_t ssrc) noexcept;

  [[nodiscard]] std::span<std::byte> bytes() const noexcept { return bytes_; }

 private:
  explicit RtpWriter(std::span<std::byte> bytes) noexcept : bytes_(bytes) {}
  std::span<std::byte> bytes_;
};

}  // namespace rtcgate::media
