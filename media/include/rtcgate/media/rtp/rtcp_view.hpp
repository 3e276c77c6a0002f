// RtcpCompound / RtcpPacket: a validated, read-only view of a compound RTCP packet (RFC 3550 §6,
// §6.4.1 SR, §6.4.2 RR, §6.5 SDES, §6.6 BYE, §6.7 APP; RFC 4585 §6.1 RTPFB/PSFB; RFC 3611 XR),
// including reduced-size RTCP (RFC 5506: a lone feedback packet is accepted).
//
// parse() checks every packet of the compound once: version 2, each length field inside the datagram,
// padding only on the last packet, per-type minimum sizes (report blocks, SDES chunks and items, BYE
// SSRC list); then accessors load big-endian fields without further checks. Unknown packet types in
// 192..223 are kept as opaque packets. At most kMaxPackets packets per compound.
// rewrite_rtcp_ssrcs() edits the SSRC fields of a compound in place (the relay's SSRC mapping).
// Ownership: borrows the bytes. Thread affinity: none. Units: NTP 32.32 fixed point, RTP clock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <span>
#include <string_view>

namespace rtcgate::media {

namespace rtcp_type {
inline constexpr std::uint8_t kSenderReport = 200;
inline constexpr std::uint8_t kReceiverReport = 201;
inline constexpr std::uint8_t kSourceDescription = 202;
inline constexpr std::uint8_t kBye = 203;
inline constexpr std::uint8_t kApp = 204;
inline constexpr std::uint8_t kTransportFeedback = 205;  // RTPFB, RFC 4585
inline constexpr std::uint8_t kPayloadFeedback = 206;    // PSFB, RFC 4585
inline constexpr std::uint8_t kExtendedReport = 207;     // XR, RFC 3611
}  // namespace rtcp_type

enum class RtcpErrorCode : std::uint8_t {
  TooShort,        // shorter than a 4-byte header (or the 8-byte minimum of a compound)
  BadVersion,      // V != 2
  LengthOverflow,  // a length field points past the datagram
  BadPadding,      // padding on a non-last packet, or a bad padding count
  BadPacketType,   // packet type outside 192..223
  BadBody,         // body shorter than its type and count demand
  TooManyPackets,  // more than kMaxPackets
};

struct RtcpError {
  RtcpErrorCode code;
  std::uint16_t offset;
};

[[nodiscard]] std::string_view to_string(RtcpErrorCode code) noexcept;

struct RtcpSenderInfo {
  std::uint64_t ntp_timestamp;
  std::uint32_t rtp_timestamp;
  std::uint32_t packet_count;
  std::uint32_t octet_count;
};

struct RtcpReportBlock {
  std::uint32_t ssrc;
  std::uint8_t fraction_lost;
  std::int32_t cumulative_lost;  // signed 24-bit on the wire
  std::uint32_t extended_highest_sequence;
  std::uint32_t jitter;  // RTP timestamp units
  std::uint32_t last_sr;
  std::uint32_t delay_since_last_sr;  // 1/65536 s
};

class RtcpPacket {
 public:
  [[nodiscard]] std::uint8_t type() const noexcept;
  [[nodiscard]] std::uint8_t count() const noexcept;  // RC, SC or FMT
  [[nodiscard]] std::size_t size() const noexcept { return bytes_.size(); }
  [[nodiscard]] std::size_t offset() const noexcept { return offset_; }
  [[nodiscard]] std::span<const std::byte> bytes() const noexcept { return bytes_; }
  // The SSRC after the header (SR, RR, APP, RTPFB, PSFB, XR; first chunk/SSRC of SDES and BYE; 0 if none).
  [[nodiscard]] std::uint32_t sender_ssrc() const noexcept;
  // SR only.
  [[nodiscard]] RtcpSenderInfo sender_info() const noexcept;
  // SR and RR: count() blocks; index < count().
  [[nodiscard]] RtcpReportBlock report_block(std::size_t index) const noexcept;
  // RTPFB and PSFB (RFC 4585 §6.1).
  [[nodiscard]] std::uint8_t feedback_format() const noexcept { return count(); }
  [[nodiscard]] std::uint32_t media_ssrc() const noexcept;
  [[nodiscard]] std::span<const std::byte> feedback_control_information() const noexcept;

 private:
  friend class RtcpCompound;
  RtcpPacket(std::span<const std::byte> bytes, std::size_t offset, std::size_t padding) noexcept
      : bytes_(bytes),
        offset_(static_cast<std::uint16_t>(offset)),
        padding_(static_cast<std::uint8_t>(padding)) {}
  [[nodiscard]] std::size_t report_base() const noexcept;
  std::span<const std::byte> bytes_;  // the whole packet, padding included
  std::uint16_t offset_;              // within the compound
  std::uint8_t padding_;
};

class RtcpCompound {
 public:
  static constexpr std::size_t kMaxPackets = 64;

  [[nodiscard]] static std::expected<RtcpCompound, RtcpError> parse(
      std::span<const std::byte> datagram) noexcept;

  [[nodiscard]] std::size_t packet_count() const noexcept { return count_; }
  [[nodiscard]] std::span<const std::byte> bytes() const noexcept { return bytes_; }

  // Calls fn(const RtcpPacket&) for every packet in order.
  template <typename Fn>
  void for_each(Fn&& fn) const noexcept {
    std::size_t at = 0;
    for (std::size_t i = 0; i < count_; ++i) {
      const RtcpPacket packet = packet_at(at, i + 1 == count_);
      fn(packet);
      at += packet.size();
    }
  }

 private:
  [[nodiscard]] RtcpPacket packet_at(std::size_t at, bool last) const noexcept;
  std::span<const std::byte> bytes_;
  std::size_t count_ = 0;
};

// One SSRC substitution: a field equal to `from` becomes `to`.
struct SsrcMapping {
  std::uint32_t from = 0;
  std::uint32_t to = 0;
};

// Rewrites, in place, the SSRC fields of a compound RTCP packet:
//   sender: SR/RR/APP/XR/RTPFB/PSFB packet sender SSRC, SDES chunk SSRCs, BYE SSRCs;
//   media:  SR/RR report block SSRCs, RTPFB/PSFB media source SSRC, FIR FCI SSRCs (RFC 5104 §4.3.1).
// Returns the number of fields changed, or the parse error (nothing changed then).
std::expected<std::size_t, RtcpError> rewrite_rtcp_ssrcs(std::span<std::byte> compound, SsrcMapping sender,
                                                         SsrcMapping media) noexcept;

}  // namespace rtcgate::media
