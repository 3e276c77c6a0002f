// The typed Digest credentials carried in Authorization and Proxy-Authorization: RFC 7616 §3.4
// (RFC 2617 §3.2.2) as used by SIP, RFC 3261 §22.4.
//
// Untrusted input: parse_credentials() never throws; it requires the Digest scheme, username,
// realm, nonce, uri and response, and with qop also cnonce and an 8-hex-digit nc (RFC 7616
// §3.4). Whether the values are right is DigestServer's business, not the parser's.
// Thread affinity: none. Value type.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

#include "rtcgate/sip/auth/auth_value.hpp"

namespace rtcgate::sip::auth {

struct DigestCredentials {
  std::string username;
  std::string realm;
  std::string nonce;
  std::string uri;
  std::string response;
  std::string algorithm;  // token as received; empty means MD5
  std::string cnonce;
  std::string opaque;
  std::string qop;  // "auth", or empty for the RFC 2069 form
  std::string nc;   // 8 hex digits as received, empty without qop
  bool has_opaque = false;

  // The nonce count as a number; only meaningful when qop is set (validated by the parser).
  std::uint32_t nonce_count() const;
};

std::expected<DigestCredentials, AuthParseError> parse_credentials(std::string_view text);
// `Digest username="…", realm="…", nonce="…", uri="…", response="…", algorithm=…, cnonce="…",
// opaque="…", qop=auth, nc=00000001`.
std::string write_credentials(const DigestCredentials& credentials);

}  // namespace rtcgate::sip::auth
