// Certificate fingerprints as SDP carries them (RFC 8122 §5, formerly RFC 4572 §5):
//   a=fingerprint:sha-256 AB:CD:...:EF
// The fingerprint is the hash of the certificate's DER encoding. rtcgate advertises sha-256 and
// verifies a peer's certificate against whichever of sha-1/224/256/384/512 the peer's SDP named.
// Parsing here (not in sdp/) because media/ owns the comparison; the gateway hands over the two
// strings of the attribute. Value type; no thread affinity.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "rtcgate/media/dtls/dtls_error.hpp"

namespace rtcgate::media {

enum class HashFunction : std::uint8_t { Sha1, Sha224, Sha256, Sha384, Sha512 };

[[nodiscard]] std::string_view to_string(HashFunction hash) noexcept;  // "sha-256"
[[nodiscard]] std::optional<HashFunction> hash_function_from_name(std::string_view name) noexcept;
[[nodiscard]] std::size_t digest_length(HashFunction hash) noexcept;

class Fingerprint {
 public:
  static constexpr std::size_t kMaxDigest = 64;

  // Hash of a DER-encoded certificate.
  [[nodiscard]] static std::expected<Fingerprint, DtlsError> of_der(std::span<const std::byte> der,
                                                                    HashFunction hash) noexcept;
  // From the SDP attribute's two tokens: hash name (case-insensitive) and colon-separated hex.
  [[nodiscard]] static std::expected<Fingerprint, DtlsError> parse(std::string_view hash_name,
                                                                   std::string_view value) noexcept;

  [[nodiscard]] HashFunction hash() const noexcept { return hash_; }
  [[nodiscard]] std::span<const std::uint8_t> digest() const noexcept { return {digest_.data(), size_}; }
  // Uppercase hex with colons, e.g. "AB:CD:01".
  [[nodiscard]] std::string to_sdp_value() const;
  // "sha-256 AB:CD:..." (the attribute value after "a=fingerprint:").
  [[nodiscard]] std::string to_sdp() const;

  friend bool operator==(const Fingerprint& a, const Fingerprint& b) noexcept;

 private:
  HashFunction hash_ = HashFunction::Sha256;
  std::uint8_t size_ = 0;
  std::array<std::uint8_t, kMaxDigest> digest_{};
};

}  // namespace rtcgate::media
