// Digest computation for SIP authentication: the algorithm tokens of RFC 7616 §3.3/§6.1
// (MD5, MD5-sess, SHA-256, SHA-256-sess; RFC 8760 brings them to SIP) and the HA1, HA2 and
// response formulas of RFC 7616 §3.4.1–§3.4.3 for qop=auth, plus the RFC 2069 form without qop
// (RFC 2617 §3.2.2.1) that old user agents still send.
//
// Ownership: pure functions over caller-owned views; results are owned strings of lowercase hex.
// Thread affinity: none.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rtcgate::sip::auth {

enum class Algorithm : std::uint8_t { Md5, Md5Sess, Sha256, Sha256Sess };

// Case-insensitive (RFC 7616 §3.3: tokens); nullopt for anything else, e.g. SHA-512-256.
std::optional<Algorithm> parse_algorithm(std::string_view token);
std::string_view algorithm_token(Algorithm algorithm);
bool is_session(Algorithm algorithm);
// Preference when answering a challenge: SHA-256 over MD5 (RFC 8760 §2.4), and the plain form
// over -sess at the same hash, since -sess adds nothing when the password is not cached.
int algorithm_preference(Algorithm algorithm);

// H(data) in lowercase hex with the hash of the algorithm's family.
std::string hash_hex(Algorithm algorithm, std::string_view data);

// H(username ":" realm ":" password), the part a server may store instead of the password
// (RFC 7616 §3.4.2). For the -sess algorithms this is the inner value; compute_response() adds
// the nonce and cnonce.
std::string compute_ha1(Algorithm algorithm, std::string_view username, std::string_view realm,
                        std::string_view password);

struct ResponseInput {
  Algorithm algorithm = Algorithm::Md5;
  std::string_view ha1;  // from compute_ha1() or a stored value, lowercase hex
  std::string_view method;
  std::string_view uri;  // the digest-uri exactly as sent in the credentials
  std::string_view nonce;
  std::string_view qop;  // "auth", or empty for the RFC 2069 form
  std::string_view nc;   // 8 hex digits; only with qop
  std::string_view cnonce;
};

// RFC 7616 §3.4.1: KD(HA1, nonce:nc:cnonce:qop:HA2) with qop, KD(HA1, nonce:HA2) without.
std::string compute_response(const ResponseInput& input);

}  // namespace rtcgate::sip::auth
