#include "rtcgate/media/dtls/fingerprint.hpp"

#include <algorithm>
#include <cstring>

#include <openssl/evp.h>

#include "dtls/openssl_util.hpp"

namespace rtcgate::media {

namespace {

const EVP_MD* digest_of(HashFunction hash) noexcept {
  switch (hash) {
    case HashFunction::Sha1:
      return EVP_sha1();
    case HashFunction::Sha224:
      return EVP_sha224();
    case HashFunction::Sha256:
      return EVP_sha256();
    case HashFunction::Sha384:
      return EVP_sha384();
    case HashFunction::Sha512:
      return EVP_sha512();
  }
  return nullptr;
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           const auto lower = [](char c) {
             return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
           };
           return lower(x) == lower(y);
         });
}

}  // namespace

std::string_view to_string(HashFunction hash) noexcept {
  switch (hash) {
    case HashFunction::Sha1:
      return "sha-1";
    case HashFunction::Sha224:
      return "sha-224";
    case HashFunction::Sha256:
      return "sha-256";
    case HashFunction::Sha384:
      return "sha-384";
    case HashFunction::Sha512:
      return "sha-512";
  }
  return "unknown";
}

std::optional<HashFunction> hash_function_from_name(std::string_view name) noexcept {
  for (const HashFunction hash : {HashFunction::Sha1, HashFunction::Sha224, HashFunction::Sha256,
                                  HashFunction::Sha384, HashFunction::Sha512}) {
    if (iequals(name, to_string(hash))) return hash;
  }
  return std::nullopt;
}

std::size_t digest_length(HashFunction hash) noexcept {
  switch (hash) {
    case HashFunction::Sha1:
      return 20;
    case HashFunction::Sha224:
      return 28;
    case HashFunction::Sha256:
      return 32;
    case HashFunction::Sha384:
      return 48;
    case HashFunction::Sha512:
      return 64;
  }
  return 0;
}

std::expected<Fingerprint, DtlsError> Fingerprint::of_der(std::span<const std::byte> der,
                                                          HashFunction hash) noexcept {
  Fingerprint fingerprint;
  fingerprint.hash_ = hash;
  unsigned int length = 0;
  if (EVP_Digest(der.data(), der.size(), fingerprint.digest_.data(), &length, digest_of(hash), nullptr) !=
      1) {
    return std::unexpected(DtlsError{DtlsErrorCode::BadFingerprint, detail::drain_openssl_errors()});
  }
  fingerprint.size_ = static_cast<std::uint8_t>(length);
  return fingerprint;
}

std::expected<Fingerprint, DtlsError> Fingerprint::parse(std::string_view hash_name,
                                                         std::string_view value) noexcept {
  const auto hash = hash_function_from_name(hash_name);
  if (!hash) return std::unexpected(DtlsError{DtlsErrorCode::BadFingerprint});
  const std::size_t length = digest_length(*hash);
  // RFC 8122 §5: 2UHEX *(":" 2UHEX); lowercase accepted as well.
  if (value.size() != length * 3 - 1) return std::unexpected(DtlsError{DtlsErrorCode::BadFingerprint});
  Fingerprint fingerprint;
  fingerprint.hash_ = *hash;
  fingerprint.size_ = static_cast<std::uint8_t>(length);
  for (std::size_t i = 0; i < length; ++i) {
    const int high = hex_value(value[3 * i]);
    const int low = hex_value(value[3 * i + 1]);
    if (high < 0 || low < 0 || (i + 1 < length && value[3 * i + 2] != ':')) {
      return std::unexpected(DtlsError{DtlsErrorCode::BadFingerprint});
    }
    fingerprint.digest_[i] = static_cast<std::uint8_t>(high * 16 + low);
  }
  return fingerprint;
}

std::string Fingerprint::to_sdp_value() const {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(size_ * 3);
  for (std::size_t i = 0; i < size_; ++i) {
    if (i > 0) out.push_back(':');
    out.push_back(kHex[digest_[i] >> 4]);
    out.push_back(kHex[digest_[i] & 0x0f]);
  }
  return out;
}

std::string Fingerprint::to_sdp() const {
  return std::string(to_string(hash_)) + " " + to_sdp_value();
}

bool operator==(const Fingerprint& a, const Fingerprint& b) noexcept {
  return a.hash_ == b.hash_ && a.size_ == b.size_ &&
         std::memcmp(a.digest_.data(), b.digest_.data(), a.size_) == 0;
}

}  // namespace rtcgate::media
