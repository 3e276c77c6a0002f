// RtpView: a validated, read-only view of one RTP packet (RFC 3550 §5.1) with its header extension
// (RFC 3550 §5.3.1; RFC 8285 one-byte 0xBEDE and two-byte 0x100X element profiles).
//
// parse() validates everything once (version, CSRC list, extension block and every RFC 8285 element,
// padding) and never throws; accessors then do explicit big-endian loads with no further checks.
// Ownership: borrows the bytes; the view must not outlive the buffer (typically a PacketPtr).
// Thread affinity: none (pure view). Units: timestamp in the payload's RTP clock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string_view>

namespace rtcgate::media {

enum class RtpErrorCode : std::uint8_t {
  TooShort,           // fewer than 12 bytes
  BadVersion,         // V != 2
  CsrcOverflow,       // CSRC list runs past the end
  ExtensionOverflow,  // extension header or block runs past the end
  ExtensionElement,   // an RFC 8285 element runs past its block, or uses a reserved id
  BadPadding,         // padding count 0 or larger than the payload
};

struct RtpError {
  RtpErrorCode code;
  std::uint16_t offset;  // byte offset where validation failed
};

[[nodiscard]] std::string_view to_string(RtpErrorCode code) noexcept;

// One RFC 8285 header extension element.
struct RtpExtensionElement {
  std::uint8_t id;
  std::span<const std::byte> data;
};

class RtpView {
 public:
  static constexpr std::size_t kFixedHeader = 12;
  static constexpr std::uint16_t kOneByteProfile = 0xBEDE;      // RFC 8285 §4.2
  static constexpr std::uint16_t kTwoByteProfileMask = 0xFFF0;  // RFC 8285 §4.3: 0x100 + appbits
  static constexpr std::uint16_t kTwoByteProfile = 0x1000;

  [[nodiscard]] static std::expected<RtpView, RtpError> parse(std::span<const std::byte> packet) noexcept;

  [[nodiscard]] std::uint8_t version() const noexcept { return 2; }
  [[nodiscard]] bool padding() const noexcept { return (first() & 0x20U) != 0; }
  [[nodiscard]] bool has_extension() const noexcept { return (first() & 0x10U) != 0; }
  [[nodiscard]] std::uint8_t csrc_count() const noexcept {
    return static_cast<std::uint8_t>(first() & 0x0fU);
  }
  [[nodiscard]] bool marker() const noexcept;
  [[nodiscard]] std::uint8_t payload_type() const noexcept;
  [[nodiscard]] std::uint16_t sequence() const noexcept;
  [[nodiscard]] std::uint32_t timestamp() const noexcept;
  [[nodiscard]] std::uint32_t ssrc() const noexcept;
  [[nodiscard]] std::uint32_t csrc(std::size_t index) const noexcept;  // index < csrc_count()

  // Extension block (after its 4-byte header) and its profile; empty/0 without extension.
  [[nodiscard]] std::uint16_t extension_profile() const noexcept { return extension_profile_; }
  [[nodiscard]] std::span<const std::byte> extension_data() const noexcept;
  // The first RFC 8285 element with this id (one- or two-byte profile only).
  [[nodiscard]] std::optional<std::span<const std::byte>> find_extension(std::uint8_t id) const noexcept;
  // Calls fn(RtpExtensionElement) for each RFC 8285 element, in order; returns the element count.
  template <typename Fn>
  std::size_t for_each_extension(Fn&& fn) const noexcept;

  [[nodiscard]] std::size_t header_size() const noexcept { return header_size_; }
  [[nodiscard]] std::size_t padding_size() const noexcept { return padding_size_; }
  [[nodiscard]] std::span<const std::byte> payload() const noexcept;
  [[nodiscard]] std::span<const std::byte> bytes() const noexcept { return bytes_; }

 private:
  [[nodiscard]] std::uint8_t first() const noexcept { return static_cast<std::uint8_t>(bytes_[0]); }
  // Walks the RFC 8285 elements of the extension block; false on a malformed element.
  template <typename Fn>
  static bool walk_elements(std::uint16_t profile, std::span<const std::byte> block, Fn&& fn) noexcept;

  std::span<const std::byte> bytes_;
  std::uint16_t header_size_ = kFixedHeader;
  std::uint16_t extension_offset_ = 0;  // start of the extension block data
  std::uint16_t extension_size_ = 0;
  std::uint16_t extension_profile_ = 0;
  std::uint16_t padding_size_ = 0;
};

template <typename Fn>
bool RtpView::walk_elements(std::uint16_t profile, std::span<const std::byte> block, Fn&& fn) noexcept {
  const bool one_byte = profile == kOneByteProfile;
  const bool two_byte = (profile & kTwoByteProfileMask) == kTwoByteProfile;
  if (!one_byte && !two_byte) return true;  // opaque profile: nothing to walk
  std::size_t at = 0;
  while (at < block.size()) {
    const auto id_byte = static_cast<std::uint8_t>(block[at]);
    // Id 0 is a one-byte padding between elements (RFC 8285 §4.2, §4.3).
    if (id_byte == 0 || (one_byte && (id_byte >> 4) == 0)) {
      ++at;
      continue;
    }
    std::size_t length = 0;
    std::uint8_t id = 0;
    if (one_byte) {
      id = static_cast<std::uint8_t>(id_byte >> 4);
      // RFC 8285 §4.2: id 15 is reserved; stop processing the block there.
      if (id == 15) return true;
      length = (id_byte & 0x0fU) + 1U;
      at += 1;
    } else {
      if (at + 2 > block.size()) return false;
      id = id_byte;
      length = static_cast<std::uint8_t>(block[at + 1]);
      at += 2;
    }
    if (at + length > block.size()) return false;
    fn(RtpExtensionElement{id, block.subspan(at, length)});
    at += length;
  }
  return true;
}

template <typename Fn>
std::size_t RtpView::for_each_extension(Fn&& fn) const noexcept {
  std::size_t count = 0;
  walk_elements(extension_profile_, extension_data(), [&](const RtpExtensionElement& element) {
    ++count;
    fn(element);
  });
  return count;
}

}  // namespace rtcgate::media
