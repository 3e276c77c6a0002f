#include "rtcgate/media/srtp/srtp_keys.hpp"

#include <cerrno>
#include <cstring>

#include <string.h>  // explicit_bzero
#include <sys/random.h>

namespace rtcgate::media {

std::string_view to_string(SrtpProfile profile) noexcept {
  switch (profile) {
    case SrtpProfile::AeadAes128Gcm:
      return "AEAD_AES_128_GCM";
    case SrtpProfile::AeadAes256Gcm:
      return "AEAD_AES_256_GCM";
    case SrtpProfile::AesCm128HmacSha1_80:
      return "AES_CM_128_HMAC_SHA1_80";
    case SrtpProfile::AesCm128HmacSha1_32:
      return "AES_CM_128_HMAC_SHA1_32";
  }
  return "unknown";
}

std::optional<SrtpProfile> srtp_profile_from_name(std::string_view name) noexcept {
  for (const SrtpProfile profile : kSrtpProfilesByPreference) {
    if (to_string(profile) == name) return profile;
  }
  return std::nullopt;
}

std::uint16_t dtls_srtp_profile_id(SrtpProfile profile) noexcept {
  switch (profile) {
    case SrtpProfile::AesCm128HmacSha1_80:
      return 0x0001;
    case SrtpProfile::AesCm128HmacSha1_32:
      return 0x0002;
    case SrtpProfile::AeadAes128Gcm:
      return 0x0007;
    case SrtpProfile::AeadAes256Gcm:
      return 0x0008;
  }
  return 0;
}

std::optional<SrtpProfile> srtp_profile_from_dtls_id(std::uint16_t id) noexcept {
  for (const SrtpProfile profile : kSrtpProfilesByPreference) {
    if (dtls_srtp_profile_id(profile) == id) return profile;
  }
  return std::nullopt;
}

std::string_view openssl_srtp_profile_name(SrtpProfile profile) noexcept {
  switch (profile) {
    case SrtpProfile::AeadAes128Gcm:
      return "SRTP_AEAD_AES_128_GCM";
    case SrtpProfile::AeadAes256Gcm:
      return "SRTP_AEAD_AES_256_GCM";
    case SrtpProfile::AesCm128HmacSha1_80:
      return "SRTP_AES128_CM_SHA1_80";
    case SrtpProfile::AesCm128HmacSha1_32:
      return "SRTP_AES128_CM_SHA1_32";
  }
  return "";
}

SrtpMasterKey::~SrtpMasterKey() {
  explicit_bzero(bytes_.data(), bytes_.size());
}

std::expected<SrtpMasterKey, SrtpKeyError> SrtpMasterKey::from(SrtpProfile profile,
                                                               std::span<const std::byte> key,
                                                               std::span<const std::byte> salt) noexcept {
  if (key.size() != srtp_key_length(profile) || salt.size() != srtp_salt_length(profile)) {
    return std::unexpected(SrtpKeyError::BadLength);
  }
  SrtpMasterKey master;
  master.profile_ = profile;
  std::memcpy(master.bytes_.data(), key.data(), key.size());
  std::memcpy(master.bytes_.data() + key.size(), salt.data(), salt.size());
  return master;
}

std::expected<SrtpMasterKey, SrtpKeyError> SrtpMasterKey::from_concatenated(
    SrtpProfile profile, std::span<const std::byte> key_and_salt) noexcept {
  if (key_and_salt.size() != srtp_master_length(profile)) return std::unexpected(SrtpKeyError::BadLength);
  return from(profile, key_and_salt.first(srtp_key_length(profile)),
              key_and_salt.subspan(srtp_key_length(profile)));
}

std::expected<SrtpMasterKey, SrtpKeyError> SrtpMasterKey::generate(SrtpProfile profile) noexcept {
  SrtpMasterKey master;
  master.profile_ = profile;
  const std::size_t length = srtp_master_length(profile);
  std::size_t filled = 0;
  while (filled < length) {
    const ssize_t got = getrandom(master.bytes_.data() + filled, length - filled, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      return std::unexpected(SrtpKeyError::NoRandomness);
    }
    filled += static_cast<std::size_t>(got);
  }
  return master;
}

bool operator==(const SrtpMasterKey& a, const SrtpMasterKey& b) noexcept {
  return a.profile_ == b.profile_ && std::memcmp(a.bytes_.data(), b.bytes_.data(), a.bytes_.size()) == 0;
}

}  // namespace rtcgate::media
