// a=crypto — RFC 4568 §9.1 (SDES):
//   `<tag> <crypto-suite> <key-params> *(SP <session-param>)`
//   key-params = key-param *(";" key-param); key-param = "inline:" key||salt ["|" lifetime] ["|" MKI:length]
// The key||salt is base64 and must decode to the suite's master key + salt length (RFC 4568 §6.2,
// RFC 6188, RFC 7714 §12). Unknown suites are parsed with any key length so they can be kept and
// declined by policy rather than failing the description.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rtcgate/sdp/parse_error.hpp>

namespace rtcgate::sdp {

struct CryptoKey {
  std::vector<std::uint8_t> key_salt;   // master key followed by master salt
  std::optional<std::string> lifetime;  // "2^20" or a decimal, as written
  std::optional<std::uint32_t> mki;
  std::optional<std::uint8_t> mki_length;  // bytes, 1-128
  bool operator==(const CryptoKey&) const = default;
};

struct Crypto {
  std::uint32_t tag = 1;  // 1-9 digits
  std::string suite;      // e.g. "AES_CM_128_HMAC_SHA1_80"
  std::vector<CryptoKey> keys;
  std::vector<std::string> session_params;  // e.g. "UNENCRYPTED_SRTCP", "KDR=24"
  bool operator==(const Crypto&) const = default;
};

/// Master key + salt bytes for a known suite; nullopt for an unknown suite.
std::optional<std::size_t> crypto_key_salt_size(std::string_view suite);

std::expected<Crypto, ParseError> parse_crypto(std::string_view value);
std::string to_value(const Crypto& c);

}  // namespace rtcgate::sdp
