// DigestServer: the server side of SIP digest authentication (RFC 3261 §22.4 with RFC 7616 and
// RFC 8760): builds challenges for 401 (WWW-Authenticate) and 407 (Proxy-Authenticate) responses
// and verifies the credentials of the next request.
//
// Challenges: one header value per configured algorithm, in configuration order (SHA-256 before
// MD5 by default, RFC 8760 §2.4), all with the same fresh nonce, the server's opaque, and
// qop="auth". Verification, in order: credentials for our realm present (else Missing); parsable
// (Malformed); algorithm offered and qop=auth (or no qop when accept_rfc2069) (Unsupported);
// digest uri equals the request-URI (UriMismatch, RFC 7616 §3.4.6); opaque echoed (BadCredentials);
// nonce issued by us (InvalidNonce); user known (UnknownUser); response right (BadCredentials,
// compared in constant time); then nonce expiry (Stale: answer with a new challenge and
// stale=true, RFC 7616 §3.3) and nc strictly increasing per nonce (Replay). Only Ok admits the
// request. The verdict tells the caller what to answer: Malformed and UriMismatch → 400;
// everything else but Ok → 401/407 with challenges(now, verdict == Stale).
//
// Ownership: owns its nonce table and copies of the configuration; the user lookup callback must
// stay valid for the server's lifetime. Thread affinity: the signaling thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rtcgate/sip/auth/digest.hpp"
#include "rtcgate/sip/auth/nonce_tracker.hpp"
#include "rtcgate/sip/clock.hpp"

namespace rtcgate::sip::auth {

// What the server knows about a user: the password, or precomputed HA1 values
// (compute_ha1(user, realm, password)) for the algorithm families it should accept.
struct UserSecret {
  std::optional<std::string> password;
  std::string ha1_md5;     // used for MD5 and MD5-sess when there is no password
  std::string ha1_sha256;  // used for SHA-256 and SHA-256-sess when there is no password
};

// Looks a user up by the username and realm of the credentials; nullopt for an unknown user.
using UserLookup =
    std::function<std::optional<UserSecret>(std::string_view username, std::string_view realm)>;

struct DigestServerConfig {
  std::string realm;
  std::vector<Algorithm> algorithms{Algorithm::Sha256, Algorithm::Md5};
  bool accept_rfc2069 = false;  // accept credentials without qop (no replay protection then)
  NonceConfig nonces;
};

enum class AuthVerdict : std::uint8_t {
  Ok,
  Missing,         // no credentials for our realm
  Malformed,       // credentials for us that do not parse
  Unsupported,     // algorithm not offered, or a qop other than auth
  UriMismatch,     // digest uri differs from the request-URI
  InvalidNonce,    // a nonce we never issued
  UnknownUser,     // no such user
  BadCredentials,  // wrong response (password) or opaque
  Stale,           // right password, expired or forgotten nonce
  Replay,          // nc not larger than before on this nonce
};

std::string_view to_string(AuthVerdict verdict);

struct AuthResult {
  AuthVerdict verdict = AuthVerdict::Missing;
  std::string username;  // set whenever credentials for our realm parsed
  bool ok() const { return verdict == AuthVerdict::Ok; }
};

class DigestServer {
 public:
  DigestServer(DigestServerConfig config, UserLookup lookup, RandomSource random = default_random_source());

  const std::string& realm() const { return config_.realm; }

  // Header values for one 401/407: one per configured algorithm, sharing one new nonce.
  std::vector<std::string> challenges(TimePoint now, bool stale = false);

  // Verifies the Authorization (or Proxy-Authorization) header values of one request.
  AuthResult verify(std::string_view method, std::string_view request_uri,
                    std::span<const std::string_view> credentials, TimePoint now);

 private:
  bool offered(Algorithm algorithm) const;
  std::optional<std::string> ha1_for(const UserSecret& secret, Algorithm algorithm,
                                     std::string_view username) const;

  DigestServerConfig config_;
  UserLookup lookup_;
  NonceTracker nonces_;
  std::string opaque_;
};

}  // namespace rtcgate::sip::auth
