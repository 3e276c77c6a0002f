#include "rtcgate/media/rtp/rtcp_view.hpp"

#include "rtcgate/media/rtp/wire.hpp"

namespace rtcgate::media {

namespace {

constexpr std::size_t kHeader = 4;
constexpr std::size_t kSenderInfo = 20;
constexpr std::size_t kReportBlock = 24;

std::unexpected<RtcpError> fail(RtcpErrorCode code, std::size_t offset) {
  return std::unexpected(RtcpError{code, static_cast<std::uint16_t>(offset)});
}

// RFC 3550 §6.5: SC chunks, each an SSRC followed by items and a null item, padded to 32 bits.
bool valid_sdes(std::span<const std::byte> body, std::size_t chunks) {
  std::size_t at = 0;
  for (std::size_t c = 0; c < chunks; ++c) {
    if (at + 4 > body.size()) return false;
    at += 4;
    while (true) {
      if (at >= body.size()) return false;
      if (wire::u8(body, at) == 0) {  // END item, then pad to the next 32-bit boundary
        at = (at + 4) & ~std::size_t{3};
        break;
      }
      if (at + 2 > body.size()) return false;
      at += 2 + wire::u8(body, at + 1);
    }
    if (at > body.size()) return false;
  }
  return true;
}

// Per-type body checks on the packet without its padding. `body` starts after the 4-byte header.
bool valid_body(std::uint8_t type, std::uint8_t count, std::span<const std::byte> body) {
  switch (type) {
    case rtcp_type::kSenderReport:
      return body.size() >= 4 + kSenderInfo + kReportBlock * count;
    case rtcp_type::kReceiverReport:
      return body.size() >= 4 + kReportBlock * count;
    case rtcp_type::kSourceDescription:
      return valid_sdes(body, count);
    case rtcp_type::kBye: {
      const std::size_t list = 4U * count;
      if (body.size() < list) return false;
      // Optional reason: a length octet and text (RFC 3550 §6.6).
      if (body.size() > list) return list + 1 + wire::u8(body, list) <= body.size();
      return true;
    }
    case rtcp_type::kApp:
      return body.size() >= 8;
    case rtcp_type::kTransportFeedback:
    case rtcp_type::kPayloadFeedback:
      return body.size() >= 8;
    case rtcp_type::kExtendedReport:
      return body.size() >= 4;
    default:
      return true;
  }
}

}  // namespace

std::string_view to_string(RtcpErrorCode code) noexcept {
  switch (code) {
    case RtcpErrorCode::TooShort:
      return "too_short";
    case RtcpErrorCode::BadVersion:
      return "bad_version";
    case RtcpErrorCode::LengthOverflow:
      return "length_overflow";
    case RtcpErrorCode::BadPadding:
      return "bad_padding";
    case RtcpErrorCode::BadPacketType:
      return "bad_packet_type";
    case RtcpErrorCode::BadBody:
      return "bad_body";
    case RtcpErrorCode::TooManyPackets:
      return "too_many_packets";
  }
  return "unknown";
}

std::expected<RtcpCompound, RtcpError> RtcpCompound::parse(std::span<const std::byte> datagram) noexcept {
  if (datagram.size() < 8) return fail(RtcpErrorCode::TooShort, datagram.size());
  if (datagram.size() > 0xffff) return fail(RtcpErrorCode::LengthOverflow, 0);
  RtcpCompound compound;
  compound.bytes_ = datagram;
  std::size_t at = 0;
  while (at < datagram.size()) {
    if (compound.count_ == kMaxPackets) return fail(RtcpErrorCode::TooManyPackets, at);
    if (at + kHeader > datagram.size()) return fail(RtcpErrorCode::TooShort, at);
    const std::uint8_t first = wire::u8(datagram, at);
    if ((first >> 6) != 2) return fail(RtcpErrorCode::BadVersion, at);
    const std::uint8_t type = wire::u8(datagram, at + 1);
    if (type < 192 || type > 223) return fail(RtcpErrorCode::BadPacketType, at + 1);
    const std::size_t size = 4U * (wire::be16(datagram, at + 2) + 1U);
    if (at + size > datagram.size()) return fail(RtcpErrorCode::LengthOverflow, at + 2);
    std::size_t padding = 0;
    if ((first & 0x20U) != 0) {
      // RFC 3550 §6.4.1: only the last packet of a compound may be padded.
      if (at + size != datagram.size()) return fail(RtcpErrorCode::BadPadding, at);
      padding = wire::u8(datagram, at + size - 1);
      if (padding == 0 || padding > size - kHeader) return fail(RtcpErrorCode::BadPadding, at + size - 1);
    }
    const auto body = datagram.subspan(at + kHeader, size - kHeader - padding);
    if (!valid_body(type, static_cast<std::uint8_t>(first & 0x1fU), body)) {
      return fail(RtcpErrorCode::BadBody, at);
    }
    at += size;
    ++compound.count_;
  }
  return compound;
}

RtcpPacket RtcpCompound::packet_at(std::size_t at, bool last) const noexcept {
  const std::size_t size = 4U * (wire::be16(bytes_, at + 2) + 1U);
  std::size_t padding = 0;
  if (last && (wire::u8(bytes_, at) & 0x20U) != 0) padding = wire::u8(bytes_, at + size - 1);
  return RtcpPacket(bytes_.subspan(at, size), at, padding);
}

std::uint8_t RtcpPacket::type() const noexcept {
  return wire::u8(bytes_, 1);
}
std::uint8_t RtcpPacket::count() const noexcept {
  return static_cast<std::uint8_t>(wire::u8(bytes_, 0) & 0x1fU);
}

std::uint32_t RtcpPacket::sender_ssrc() const noexcept {
  if (bytes_.size() - padding_ < 8) return 0;
  return wire::be32(bytes_, 4);
}

RtcpSenderInfo RtcpPacket::sender_info() const noexcept {
  if (type() != rtcp_type::kSenderReport) return {};
  return RtcpSenderInfo{wire::be64(bytes_, 8), wire::be32(bytes_, 16), wire::be32(bytes_, 20),
                        wire::be32(bytes_, 24)};
}

std::size_t RtcpPacket::report_base() const noexcept {
  return type() == rtcp_type::kSenderReport ? kHeader + 4 + kSenderInfo : kHeader + 4;
}

RtcpReportBlock RtcpPacket::report_block(std::size_t index) const noexcept {
  const std::uint8_t t = type();
  if ((t != rtcp_type::kSenderReport && t != rtcp_type::kReceiverReport) || index >= count()) return {};
  const std::size_t at = report_base() + kReportBlock * index;
  std::uint32_t lost = wire::be24(bytes_, at + 5);
  if ((lost & 0x800000U) != 0) lost |= 0xff000000U;  // sign-extend the 24-bit field
  return RtcpReportBlock{wire::be32(bytes_, at),          wire::u8(bytes_, at + 4),
                         static_cast<std::int32_t>(lost), wire::be32(bytes_, at + 8),
                         wire::be32(bytes_, at + 12),     wire::be32(bytes_, at + 16),
                         wire::be32(bytes_, at + 20)};
}

std::uint32_t RtcpPacket::media_ssrc() const noexcept {
  const std::uint8_t t = type();
  if (t != rtcp_type::kTransportFeedback && t != rtcp_type::kPayloadFeedback) return 0;
  return wire::be32(bytes_, 8);
}

std::span<const std::byte> RtcpPacket::feedback_control_information() const noexcept {
  const std::uint8_t t = type();
  if (t != rtcp_type::kTransportFeedback && t != rtcp_type::kPayloadFeedback) return {};
  return bytes_.subspan(12, bytes_.size() - 12 - padding_);
}

namespace {

std::size_t map_at(std::span<std::byte> bytes, std::size_t at, SsrcMapping mapping) {
  if (wire::be32(bytes, at) != mapping.from) return 0;
  wire::put32(bytes, at, mapping.to);
  return 1;
}

std::size_t rewrite_packet(std::span<std::byte> p, const RtcpPacket& view, SsrcMapping sender,
                           SsrcMapping media) {
  std::size_t changed = 0;
  switch (view.type()) {
    case rtcp_type::kSenderReport:
    case rtcp_type::kReceiverReport: {
      changed += map_at(p, 4, sender);
      const std::size_t base =
          view.type() == rtcp_type::kSenderReport ? kHeader + 4 + kSenderInfo : kHeader + 4;
      for (std::size_t i = 0; i < view.count(); ++i)
        changed += map_at(p, base + kReportBlock * i, media);
      break;
    }
    case rtcp_type::kSourceDescription: {
      std::size_t at = kHeader;
      for (std::size_t c = 0; c < view.count(); ++c) {
        changed += map_at(p, at, sender);
        at += 4;
        while (wire::u8(p, at) != 0)
          at += 2 + wire::u8(p, at + 1);
        at = (at + 4) & ~std::size_t{3};
      }
      break;
    }
    case rtcp_type::kBye:
      for (std::size_t i = 0; i < view.count(); ++i)
        changed += map_at(p, kHeader + 4 * i, sender);
      break;
    case rtcp_type::kTransportFeedback:
    case rtcp_type::kPayloadFeedback:
      changed += map_at(p, 4, sender);
      changed += map_at(p, 8, media);
      // FIR (PSFB FMT 4, RFC 5104 §4.3.1.1): 8-byte FCI entries starting with the target SSRC.
      if (view.type() == rtcp_type::kPayloadFeedback && view.count() == 4) {
        const std::size_t end = 12 + view.feedback_control_information().size();
        for (std::size_t at = 12; at + 8 <= end; at += 8)
          changed += map_at(p, at, media);
      }
      break;
    case rtcp_type::kApp:
    case rtcp_type::kExtendedReport:
      changed += map_at(p, 4, sender);
      break;
    default:
      break;
  }
  return changed;
}

}  // namespace

std::expected<std::size_t, RtcpError> rewrite_rtcp_ssrcs(std::span<std::byte> compound, SsrcMapping sender,
                                                         SsrcMapping media) noexcept {
  auto parsed = RtcpCompound::parse(compound);
  if (!parsed) return std::unexpected(parsed.error());
  std::size_t changed = 0;
  parsed->for_each([&](const RtcpPacket& packet) {
    changed += rewrite_packet(compound.subspan(packet.offset(), packet.size()), packet, sender, media);
  });
  return changed;
}

}  // namespace rtcgate::media
