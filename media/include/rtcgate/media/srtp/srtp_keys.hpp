// SRTP protection profiles and master keys.
//
// SrtpProfile names the four profiles rtcgate negotiates, in preference order (DESIGN.md: GCM first).
// Lengths follow RFC 3711 §8.2 / RFC 5764 §4.1.2 (AES-CM: 16-byte key, 14-byte salt) and RFC 7714
// §12/§14.2 (AEAD_AES_128_GCM: 16 + 12, AEAD_AES_256_GCM: 32 + 12).
// SrtpMasterKey holds one direction's master key and salt inline (key || salt, what libsrtp2 takes)
// and wipes them on destruction. SrtpKeys pairs the local (protect) and remote (unprotect) keys of a
// leg, as DTLS-SRTP (RFC 5764 §4.2) or SDES (RFC 4568) produce them.
// Value types; no thread affinity.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string_view>

namespace rtcgate::media {

enum class SrtpProfile : std::uint8_t {
  AeadAes128Gcm,
  AeadAes256Gcm,
  AesCm128HmacSha1_80,
  AesCm128HmacSha1_32,
};

inline constexpr std::array<SrtpProfile, 4> kSrtpProfilesByPreference = {
    SrtpProfile::AeadAes128Gcm, SrtpProfile::AeadAes256Gcm, SrtpProfile::AesCm128HmacSha1_80,
    SrtpProfile::AesCm128HmacSha1_32};

[[nodiscard]] constexpr std::size_t srtp_key_length(SrtpProfile profile) noexcept {
  return profile == SrtpProfile::AeadAes256Gcm ? 32 : 16;
}
[[nodiscard]] constexpr std::size_t srtp_salt_length(SrtpProfile profile) noexcept {
  return (profile == SrtpProfile::AeadAes128Gcm || profile == SrtpProfile::AeadAes256Gcm) ? 12 : 14;
}
[[nodiscard]] constexpr std::size_t srtp_master_length(SrtpProfile profile) noexcept {
  return srtp_key_length(profile) + srtp_salt_length(profile);
}
// Bytes srtp protect appends to an RTP packet (auth tag or AEAD tag), no MKI.
[[nodiscard]] constexpr std::size_t srtp_rtp_trailer(SrtpProfile profile) noexcept {
  switch (profile) {
    case SrtpProfile::AesCm128HmacSha1_80:
      return 10;
    case SrtpProfile::AesCm128HmacSha1_32:
      return 4;
    default:
      return 16;
  }
}

// RFC 4568 §6.2 / RFC 7714 §14.1 crypto-suite names, e.g. "AEAD_AES_128_GCM".
[[nodiscard]] std::string_view to_string(SrtpProfile profile) noexcept;
[[nodiscard]] std::optional<SrtpProfile> srtp_profile_from_name(std::string_view name) noexcept;
// DTLS-SRTP protection profile ids (RFC 5764 §4.1.2, RFC 7714 §14.2) and OpenSSL's names for them.
[[nodiscard]] std::uint16_t dtls_srtp_profile_id(SrtpProfile profile) noexcept;
[[nodiscard]] std::optional<SrtpProfile> srtp_profile_from_dtls_id(std::uint16_t id) noexcept;
[[nodiscard]] std::string_view openssl_srtp_profile_name(SrtpProfile profile) noexcept;

enum class SrtpKeyError : std::uint8_t { BadLength, BadEncoding, Unsupported, NoRandomness };

class SrtpMasterKey {
 public:
  static constexpr std::size_t kMaxLength = 32 + 14;

  SrtpMasterKey() noexcept = default;
  SrtpMasterKey(const SrtpMasterKey& other) noexcept = default;
  SrtpMasterKey& operator=(const SrtpMasterKey& other) noexcept = default;
  ~SrtpMasterKey();

  [[nodiscard]] static std::expected<SrtpMasterKey, SrtpKeyError> from(
      SrtpProfile profile, std::span<const std::byte> key, std::span<const std::byte> salt) noexcept;
  // key || salt as one block (SDES inline keys, libsrtp2's layout).
  [[nodiscard]] static std::expected<SrtpMasterKey, SrtpKeyError> from_concatenated(
      SrtpProfile profile, std::span<const std::byte> key_and_salt) noexcept;
  // Fresh random key material from the kernel CSPRNG (for SDES offers).
  [[nodiscard]] static std::expected<SrtpMasterKey, SrtpKeyError> generate(SrtpProfile profile) noexcept;

  [[nodiscard]] SrtpProfile profile() const noexcept { return profile_; }
  [[nodiscard]] std::span<const std::byte> key() const noexcept {
    return std::span(bytes_).first(srtp_key_length(profile_));
  }
  [[nodiscard]] std::span<const std::byte> salt() const noexcept {
    return std::span(bytes_).subspan(srtp_key_length(profile_), srtp_salt_length(profile_));
  }
  [[nodiscard]] std::span<const std::byte> material() const noexcept {
    return std::span(bytes_).first(srtp_master_length(profile_));
  }

  friend bool operator==(const SrtpMasterKey& a, const SrtpMasterKey& b) noexcept;

 private:
  SrtpProfile profile_ = SrtpProfile::AeadAes128Gcm;
  std::array<std::byte, kMaxLength> bytes_{};
};

// The keys of one leg: `local` protects what we send, `remote` unprotects what we receive.
struct SrtpKeys {
  SrtpMasterKey local;
  SrtpMasterKey remote;
  [[nodiscard]] SrtpProfile profile() const noexcept { return local.profile(); }
};

}  // namespace rtcgate::media
