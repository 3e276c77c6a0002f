#include <rtcgate/sdp/attributes/fingerprint.hpp>

#include <array>

#include "../text.hpp"
#include "attr_util.hpp"

namespace rtcgate::sdp {

namespace {

struct HashInfo {
  std::string_view name;
  std::size_t size;
};

constexpr std::array<HashInfo, 5> kHashes = {
    {{"sha-1", 20}, {"sha-224", 28}, {"sha-256", 32}, {"sha-384", 48}, {"sha-512", 64}}};

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string_view to_string(HashFunction h) {
  return kHashes[static_cast<std::size_t>(h)].name;
}
std::size_t digest_size(HashFunction h) {
  return kHashes[static_cast<std::size_t>(h)].size;
}

std::expected<Fingerprint, ParseError> parse_fingerprint(std::string_view value) {
  const auto f = detail::split_spaces(value);
  if (f.size() != 2) return detail::bad_attribute("fingerprint needs '<hash> <hex:pairs>'");
  std::optional<HashFunction> hash;
  for (std::size_t i = 0; i < kHashes.size(); ++i) {
    if (detail::iequals(kHashes[i].name, f[0])) hash = static_cast<HashFunction>(i);
  }
  if (!hash) return detail::bad_attribute("unsupported fingerprint hash function");
  Fingerprint fp{*hash, {}};
  const auto pairs = detail::split(f[1], ':');
  if (pairs.size() != digest_size(*hash))
    return detail::bad_attribute("fingerprint length does not match its hash");
  for (auto pair : pairs) {
    if (pair.size() != 2) return detail::bad_attribute("fingerprint bytes must be two hex digits");
    const int hi = hex_value(pair[0]);
    const int lo = hex_value(pair[1]);
    if (hi < 0 || lo < 0) return detail::bad_attribute("fingerprint has a non-hex digit");
    fp.digest.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
  }
  return fp;
}

std::string to_value(const Fingerprint& f) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out(to_string(f.hash));
  out.push_back(' ');
  for (std::size_t i = 0; i < f.digest.size(); ++i) {
    if (i > 0) out.push_back(':');
    out.push_back(kHex[f.digest[i] >> 4]);
    out.push_back(kHex[f.digest[i] & 0xF]);
  }
  return out;
}

}  // namespace rtcgate::sdp
