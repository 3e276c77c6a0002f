#include "rtcgate/media/packet/classify.hpp"

namespace rtcgate::media {

namespace {
constexpr std::size_t kStunHeader = 20;        // RFC 5389 §6
constexpr std::size_t kDtlsRecordHeader = 13;  // RFC 6347 §4.1
constexpr std::size_t kChannelDataHeader = 4;  // RFC 8656 §12.4
constexpr std::size_t kRtpFixedHeader = 12;    // RFC 3550 §5.1
constexpr std::size_t kRtcpMinimum = 8;        // RFC 3550 §6.4: header + sender SSRC
}  // namespace

PacketKind classify(std::span<const std::byte> datagram) noexcept {
  if (datagram.empty()) return PacketKind::Unknown;
  const auto first = static_cast<std::uint8_t>(datagram[0]);
  const std::size_t size = datagram.size();
  if (first <= 3) return size >= kStunHeader ? PacketKind::Stun : PacketKind::Unknown;
  if (first >= 20 && first <= 63) return size >= kDtlsRecordHeader ? PacketKind::Dtls : PacketKind::Unknown;
  if (first >= 64 && first <= 79) {
    return size >= kChannelDataHeader ? PacketKind::TurnChannel : PacketKind::Unknown;
  }
  if (first >= 128 && first <= 191) {
    if (size < 2) return PacketKind::Unknown;
    // RFC 5761 §4: with rtcp-mux, RTCP packet types 192..223 occupy what would be RTP PT 64..95.
    const auto type = static_cast<std::uint8_t>(static_cast<std::uint8_t>(datagram[1]) & 0x7fU);
    if (type >= 64 && type <= 95) return size >= kRtcpMinimum ? PacketKind::Rtcp : PacketKind::Unknown;
    return size >= kRtpFixedHeader ? PacketKind::Rtp : PacketKind::Unknown;
  }
  return PacketKind::Unknown;
}

std::string_view to_string(PacketKind kind) noexcept {
  switch (kind) {
    case PacketKind::Stun:
      return "stun";
    case PacketKind::Dtls:
      return "dtls";
    case PacketKind::Rtp:
      return "rtp";
    case PacketKind::Rtcp:
      return "rtcp";
    case PacketKind::TurnChannel:
      return "turn_channel";
    case PacketKind::Unknown:
      break;
  }
  return "unknown";
}

}  // namespace rtcgate::media
