// a=fingerprint — RFC 8122 §5: `<hash-func> <fingerprint>` where the fingerprint is the
// certificate digest as colon-separated upper-case hex pairs. The digest length must match the
// hash function (sha-1 20, sha-224 28, sha-256 32, sha-384 48, sha-512 64 bytes); other hash
// functions (md5, md2) are rejected because RFC 8122 §5 forbids them for new use.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include <rtcgate/sdp/parse_error.hpp>

namespace rtcgate::sdp {

enum class HashFunction : std::uint8_t { Sha1, Sha224, Sha256, Sha384, Sha512 };

std::string_view to_string(HashFunction h);  // "sha-256"
std::size_t digest_size(HashFunction h);     // bytes

struct Fingerprint {
  HashFunction hash = HashFunction::Sha256;
  std::vector<std::uint8_t> digest;
  bool operator==(const Fingerprint&) const = default;
};

std::expected<Fingerprint, ParseError> parse_fingerprint(std::string_view value);
std::string to_value(const Fingerprint& f);

}  // namespace rtcgate::sdp
