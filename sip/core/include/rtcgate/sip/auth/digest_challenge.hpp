// The typed Digest challenge carried in WWW-Authenticate (401) and Proxy-Authenticate (407):
// RFC 7616 §3.3 as applied to SIP by RFC 3261 §22.4 and RFC 8760 §2.
//
// Untrusted input: parse_challenge() builds on parse_auth_value() and never throws; it requires
// the Digest scheme, realm and nonce. Unknown parameters are ignored (RFC 7616 §3.3), an unknown
// algorithm token is kept as text so a client can skip that challenge and use another one.
// Thread affinity: none. Value type.
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rtcgate/sip/auth/auth_value.hpp"
#include "rtcgate/sip/auth/digest.hpp"

namespace rtcgate::sip::auth {

struct DigestChallenge {
  std::string realm;
  std::string nonce;
  std::string opaque;                    // empty when absent
  std::string domain;                    // empty when absent
  std::string algorithm;                 // token as received; empty means MD5 (RFC 7616 §3.3)
  std::vector<std::string> qop_options;  // empty: RFC 2069 server without qop
  bool stale = false;
  bool has_opaque = false;

  // nullopt when the token names an algorithm this implementation does not support.
  std::optional<Algorithm> parsed_algorithm() const;
  bool offers_qop_auth() const;
};

std::expected<DigestChallenge, AuthParseError> parse_challenge(std::string_view text);
// `Digest realm="…", nonce="…", opaque="…", stale=TRUE, algorithm=SHA-256, qop="auth"`.
std::string write_challenge(const DigestChallenge& challenge);

}  // namespace rtcgate::sip::auth
