#include "rtcgate/media/rtp/rtp_writer.hpp"

#include "rtcgate/media/rtp/wire.hpp"

namespace rtcgate::media {

std::expected<RtpWriter, RtpError> RtpWriter::wrap(std::span<std::byte> packet) noexcept {
  if (packet.size() < RtpView::kFixedHeader) {
    return std::unexpected(RtpError{RtpErrorCode::TooShort, static_cast<std::uint16_t>(packet.size())});
  }
  if ((wire::u8(packet, 0) >> 6) != 2) return std::unexpected(RtpError{RtpErrorCode::BadVersion, 0});
  return RtpWriter(packet);
}

bool RtpWriter::marker() const noexcept {
  return (wire::u8(bytes_, 1) & 0x80U) != 0;
}
std::uint8_t RtpWriter::payload_type() const noexcept {
  return static_cast<std::uint8_t>(wire::u8(bytes_, 1) & 0x7fU);
}
std::uint16_t RtpWriter::sequence() const noexcept {
  return wire::be16(bytes_, 2);
}
std::uint32_t RtpWriter::timestamp() const noexcept {
  return wire::be32(bytes_, 4);
}
std::uint32_t RtpWriter::ssrc() const noexcept {
  return wire::be32(bytes_, 8);
}

void RtpWriter::set_marker(bool marker) noexcept {
  const auto b = static_cast<std::uint8_t>((wire::u8(bytes_, 1) & 0x7fU) | (marker ? 0x80U : 0U));
  wire::put8(bytes_, 1, b);
}

void RtpWriter::set_payload_type(std::uint8_t payload_type) noexcept {
  const auto b = static_cast<std::uint8_t>((wire::u8(bytes_, 1) & 0x80U) | (payload_type & 0x7fU));
  wire::put8(bytes_, 1, b);
}

void RtpWriter::set_sequence(std::uint16_t sequence) noexcept {
  wire::put16(bytes_, 2, sequence);
}
void RtpWriter::set_timestamp(std::uint32_t timestamp) noexcept {
  wire::put32(bytes_, 4, timestamp);
}
void RtpWriter::set_ssrc(std::uint32_t ssrc) noexcept {
  wire::put32(bytes_, 8, ssrc);
}

}  // namespace rtcgate::media
