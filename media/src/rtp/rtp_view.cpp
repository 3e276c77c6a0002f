#include "rtcgate/media/rtp/rtp_view.hpp"

#include "rtcgate/media/rtp/wire.hpp"

namespace rtcgate::media {

namespace {
std::unexpected<RtpError> fail(RtpErrorCode code, std::size_t offset) {
  return std::unexpected(RtpError{code, static_cast<std::uint16_t>(offset)});
}
}  // namespace

std::string_view to_string(RtpErrorCode code) noexcept {
  switch (code) {
    case RtpErrorCode::TooShort:
      return "too_short";
    case RtpErrorCode::BadVersion:
      return "bad_version";
    case RtpErrorCode::CsrcOverflow:
      return "csrc_overflow";
    case RtpErrorCode::ExtensionOverflow:
      return "extension_overflow";
    case RtpErrorCode::ExtensionElement:
      return "extension_element";
    case RtpErrorCode::BadPadding:
      return "bad_padding";
  }
  return "unknown";
}

std::expected<RtpView, RtpError> RtpView::parse(std::span<const std::byte> packet) noexcept {
  // A PacketBuffer never exceeds 64 KiB, but a caller's span might; offsets are 16-bit.
  if (packet.size() < kFixedHeader) return fail(RtpErrorCode::TooShort, packet.size());
  if (packet.size() > 0xffff) return fail(RtpErrorCode::TooShort, 0);
  RtpView view;
  view.bytes_ = packet;
  const std::uint8_t first = wire::u8(packet, 0);
  if ((first >> 6) != 2) return fail(RtpErrorCode::BadVersion, 0);
  std::size_t at = kFixedHeader + 4U * (first & 0x0fU);
  if (at > packet.size()) return fail(RtpErrorCode::CsrcOverflow, kFixedHeader);
  if ((first & 0x10U) != 0) {
    // RFC 3550 §5.3.1: 16-bit profile, 16-bit length in 32-bit words, then the data.
    if (at + 4 > packet.size()) return fail(RtpErrorCode::ExtensionOverflow, at);
    const std::uint16_t profile = wire::be16(packet, at);
    const std::size_t length = 4U * wire::be16(packet, at + 2);
    if (at + 4 + length > packet.size()) return fail(RtpErrorCode::ExtensionOverflow, at + 2);
    view.extension_profile_ = profile;
    view.extension_offset_ = static_cast<std::uint16_t>(at + 4);
    view.extension_size_ = static_cast<std::uint16_t>(length);
    if (!walk_elements(profile, packet.subspan(at + 4, length), [](const RtpExtensionElement&) {})) {
      return fail(RtpErrorCode::ExtensionElement, at + 4);
    }
    at += 4 + length;
  }
  view.header_size_ = static_cast<std::uint16_t>(at);
  if ((first & 0x20U) != 0) {
    // RFC 3550 §5.1: the last octet counts the padding, itself included.
    const std::size_t pad = wire::u8(packet, packet.size() - 1);
    if (pad == 0 || pad > packet.size() - at) return fail(RtpErrorCode::BadPadding, packet.size() - 1);
    view.padding_size_ = static_cast<std::uint16_t>(pad);
  }
  return view;
}

bool RtpView::marker() const noexcept {
  return (wire::u8(bytes_, 1) & 0x80U) != 0;
}
std::uint8_t RtpView::payload_type() const noexcept {
  return static_cast<std::uint8_t>(wire::u8(bytes_, 1) & 0x7fU);
}
std::uint16_t RtpView::sequence() const noexcept {
  return wire::be16(bytes_, 2);
}
std::uint32_t RtpView::timestamp() const noexcept {
  return wire::be32(bytes_, 4);
}
std::uint32_t RtpView::ssrc() const noexcept {
  return wire::be32(bytes_, 8);
}
std::uint32_t RtpView::csrc(std::size_t index) const noexcept {
  return wire::be32(bytes_, kFixedHeader + 4 * index);
}

std::span<const std::byte> RtpView::extension_data() const noexcept {
  return bytes_.subspan(extension_offset_, extension_size_);
}

std::optional<std::span<const std::byte>> RtpView::find_extension(std::uint8_t id) const noexcept {
  std::optional<std::span<const std::byte>> found;
  walk_elements(extension_profile_, extension_data(), [&](const RtpExtensionElement& element) {
    if (!found && element.id == id) found = element.data;
  });
  return found;
}

std::span<const std::byte> RtpView::payload() const noexcept {
  return bytes_.subspan(header_size_, bytes_.size() - header_size_ - padding_size_);
}

}  // namespace rtcgate::media
