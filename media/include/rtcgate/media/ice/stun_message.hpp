// STUN (RFC 5389) Binding messages as ICE (RFC 8445 §7) and consent freshness (RFC 7675) use them:
// a validating view over received bytes and a writer into a caller-owned buffer. Sans-I/O: bytes in,
// bytes out; the ICE fast path (ice_fast_path.hpp) does the socket work.
//
// Only what connectivity and consent checks need is understood: USERNAME, MESSAGE-INTEGRITY
// (short-term credentials, HMAC-SHA1, §15.4), FINGERPRINT (CRC-32 XOR 0x5354554e, §15.5), PRIORITY,
// USE-CANDIDATE, ICE-CONTROLLING/ICE-CONTROLLED (RFC 8445 §16.1), XOR-MAPPED-ADDRESS and ERROR-CODE.
// Other attributes are skipped, but comprehension-required ones (type below 0x8000) are noted so a
// request naming them can be refused with 420 (RFC 8489 §6.3.1); attributes after
// MESSAGE-INTEGRITY other than FINGERPRINT are ignored as §15.4 requires. The view never reads past the
// datagram and never throws.
//
// StunKey precomputes the HMAC inner and outer hash states of one password once (per session and
// credentials change), so authenticating or signing a message costs two SHA-1 runs over it and no
// heap allocation (STYLE.md: nothing allocates per packet on the media path).
//
// Ownership: StunMessage borrows the bytes it was parsed from; StunWriter borrows its buffer.
// Thread affinity: none (plain values); the fast path uses them on its worker.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string_view>

#include "rtcgate/media/packet/packet_buffer.hpp"

namespace rtcgate::media {

namespace stun {
inline constexpr std::uint32_t kMagicCookie = 0x2112a442;
inline constexpr std::size_t kHeaderSize = 20;
inline constexpr std::size_t kTransactionIdSize = 12;
inline constexpr std::uint16_t kBindingRequest = 0x0001;
inline constexpr std::uint16_t kBindingSuccess = 0x0101;
inline constexpr std::uint16_t kBindingError = 0x0111;
inline constexpr std::uint16_t kBindingIndication = 0x0011;

inline constexpr std::uint16_t kUsername = 0x0006;
inline constexpr std::uint16_t kMessageIntegrity = 0x0008;
inline constexpr std::uint16_t kErrorCode = 0x0009;
inline constexpr std::uint16_t kUnknownAttributes = 0x000a;
inline constexpr std::uint16_t kXorMappedAddress = 0x0020;
inline constexpr std::uint16_t kPriority = 0x0024;
inline constexpr std::uint16_t kUseCandidate = 0x0025;
inline constexpr std::uint16_t kFingerprint = 0x8028;
inline constexpr std::uint16_t kIceControlled = 0x8029;
inline constexpr std::uint16_t kIceControlling = 0x802a;

inline constexpr std::uint16_t kBadRequest = 400;  // RFC 8489 §14.8
inline constexpr std::uint16_t kUnauthorized = 401;
inline constexpr std::uint16_t kUnknownAttribute = 420;
inline constexpr std::uint16_t kRoleConflict = 487;  // RFC 8445 §7.3.1.1
// Comprehension-required attributes we do not understand that a message can name (more are rare
// and are reported as these first ones).
inline constexpr std::size_t kMaxUnknownAttributes = 4;
}  // namespace stun

using StunTransactionId = std::array<std::byte, stun::kTransactionIdSize>;

enum class StunError : std::uint8_t { TooShort, NotStun, BadLength, BadAttribute };

// HMAC-SHA1 keyed with a short-term password (RFC 5389 §15.4; SASLprep is the identity for the
// ASCII ice-pwd characters of RFC 8445 §5.3).
class StunKey {
 public:
  StunKey() noexcept = default;
  explicit StunKey(std::string_view password) noexcept;
  [[nodiscard]] bool empty() const noexcept { return !set_; }
  // HMAC over the concatenation of the parts.
  [[nodiscard]] std::array<std::byte, 20> mac(std::span<const std::byte> a,
                                              std::span<const std::byte> b) const noexcept;

 private:
  // OpenSSL SHA_CTX states after the ipad and opad blocks, kept opaque so this header needs no
  // OpenSSL (the low-level SHA-1 API is the one that works on caller-owned state, without the heap).
  static constexpr std::size_t kStateSize = 128;
  alignas(16) std::array<std::byte, kStateSize> inner_{};
  alignas(16) std::array<std::byte, kStateSize> outer_{};
  bool set_ = false;
};

// CRC-32 (ISO-HDLC, as in RFC 1952) over the concatenation of the parts.
[[nodiscard]] std::uint32_t stun_crc32(std::span<const std::byte> a, std::span<const std::byte> b) noexcept;

class StunMessage {
 public:
  static std::expected<StunMessage, StunError> parse(std::span<const std::byte> datagram) noexcept;

  [[nodiscard]] std::uint16_t type() const noexcept { return type_; }
  [[nodiscard]] std::span<const std::byte> transaction_id() const noexcept {
    return bytes_.subspan(8, stun::kTransactionIdSize);
  }
  [[nodiscard]] std::string_view username() const noexcept { return username_; }
  [[nodiscard]] bool has_integrity() const noexcept { return integrity_at_ != 0; }
  [[nodiscard]] bool has_fingerprint() const noexcept { return fingerprint_at_ != 0; }
  [[nodiscard]] bool use_candidate() const noexcept { return use_candidate_; }
  [[nodiscard]] std::optional<std::uint32_t> priority() const noexcept { return priority_; }
  [[nodiscard]] std::optional<std::uint64_t> ice_controlling() const noexcept { return controlling_; }
  [[nodiscard]] std::optional<std::uint64_t> ice_controlled() const noexcept { return controlled_; }
  [[nodiscard]] std::optional<std::uint16_t> error_code() const noexcept { return error_code_; }
  [[nodiscard]] const std::optional<SocketAddress>& xor_mapped_address() const noexcept { return mapped_; }
  // Comprehension-required attributes this view does not understand (before MESSAGE-INTEGRITY).
  [[nodiscard]] std::span<const std::uint16_t> unknown_required() const noexcept {
    return std::span(unknown_).first(unknown_count_);
  }

  // MESSAGE-INTEGRITY present and correct for `key` (RFC 5389 §15.4).
  [[nodiscard]] bool verify_integrity(const StunKey& key) const noexcept;
  // FINGERPRINT present and correct (RFC 5389 §15.5).
  [[nodiscard]] bool verify_fingerprint() const noexcept;

 private:
  explicit StunMessage(std::span<const std::byte> bytes) noexcept : bytes_(bytes) {}
  bool read_attribute(std::uint16_t type, std::span<const std::byte> value) noexcept;

  std::span<const std::byte> bytes_;
  std::uint16_t type_ = 0;
  std::string_view username_;
  std::size_t integrity_at_ = 0;  // offset of the attribute header; 0 = absent
  std::size_t fingerprint_at_ = 0;
  bool use_candidate_ = false;
  std::optional<std::uint32_t> priority_;
  std::optional<std::uint64_t> controlling_;
  std::optional<std::uint64_t> controlled_;
  std::optional<std::uint16_t> error_code_;
  std::optional<SocketAddress> mapped_;
  std::array<std::uint16_t, stun::kMaxUnknownAttributes> unknown_{};
  std::size_t unknown_count_ = 0;
};

// Builds one message; every add_* returns false (and leaves the message unusable) when the buffer is
// too small. add_integrity() then add_fingerprint() come last, in that order.
class StunWriter {
 public:
  StunWriter(std::span<std::byte> buffer, std::uint16_t type,
             std::span<const std::byte> transaction_id) noexcept;

  bool add_bytes(std::uint16_t type, std::span<const std::byte> value) noexcept;
  bool add_string(std::uint16_t type, std::string_view value) noexcept;
  bool add_u32(std::uint16_t type, std::uint32_t value) noexcept;
  bool add_u64(std::uint16_t type, std::uint64_t value) noexcept;
  bool add_flag(std::uint16_t type) noexcept { return add_bytes(type, {}); }
  bool add_xor_mapped_address(const SocketAddress& address) noexcept;
  bool add_error_code(std::uint16_t code, std::string_view reason) noexcept;
  bool add_unknown_attributes(std::span<const std::uint16_t> types) noexcept;
  bool add_integrity(const StunKey& key) noexcept;
  bool add_fingerprint() noexcept;

  [[nodiscard]] bool ok() const noexcept { return ok_; }
  [[nodiscard]] std::span<const std::byte> bytes() const noexcept { return buffer_.first(size_); }

 private:
  std::byte* reserve(std::uint16_t type, std::size_t length) noexcept;
  void set_length(std::size_t body) noexcept;

  std::span<std::byte> buffer_;
  std::size_t size_ = 0;
  bool ok_ = true;
};

}  // namespace rtcgate::media
