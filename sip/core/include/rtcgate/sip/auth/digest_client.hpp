// DigestClient: the client side of SIP digest authentication (RFC 3261 §22.2–22.3, RFC 7616,
// RFC 8760): answers a 401/407 challenge for REGISTER, INVITE or any other request.
//
// on_challenge() takes every WWW-Authenticate (401) or Proxy-Authenticate (407) value of a
// response, keeps the challenges it can answer (qop=auth, or no qop for RFC 2069 servers; qop
// auth-int only is skipped) and picks the strongest algorithm (SHA-256 before MD5, RFC 8760 §2.4).
// authorize() then writes the Authorization / Proxy-Authorization value for a request, with a
// fresh cnonce per challenge and nc counting up for every request sent with the same nonce, so
// the credentials can be reused for later requests until the server challenges again.
// When the challenged request carried our credentials (pass their nonce as challenged_nonce), it
// was the first request on that nonce, and the new challenge for the same realm is not
// stale=true, the password is wrong: on_challenge() returns Rejected and forgets the challenge,
// so a caller never loops.
// Ownership: owns copies of the username and password. Thread affinity: the signaling thread.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "rtcgate/sip/auth/digest.hpp"
#include "rtcgate/sip/auth/digest_challenge.hpp"
#include "rtcgate/sip/auth/nonce_tracker.hpp"

namespace rtcgate::sip::auth {

enum class ChallengeKind : std::uint8_t {
  Www,    // 401: WWW-Authenticate → Authorization
  Proxy,  // 407: Proxy-Authenticate → Proxy-Authorization
};

enum class ClientVerdict : std::uint8_t {
  Answered,     // a challenge was accepted; authorize() will produce credentials
  Rejected,     // our credentials for this realm were refused (not stale)
  Unsupported,  // no challenge with an algorithm and qop we implement
  Malformed,    // no challenge parsed
};

class DigestClient {
 public:
  DigestClient(std::string username, std::string password, RandomSource random = default_random_source());

  // `challenged_nonce`: the nonce of the credentials the challenged request carried, "" if none.
  ClientVerdict on_challenge(ChallengeKind kind, std::span<const std::string_view> values,
                             std::string_view challenged_nonce = {});

  // The credentials header value for a request, or nullopt when no challenge of this kind is held.
  // `uri` is the request-URI as it will be written on the request line.
  std::optional<std::string> authorize(ChallengeKind kind, std::string_view method, std::string_view uri);

  bool has_challenge(ChallengeKind kind) const { return state(kind).challenge.has_value(); }
  // The chosen algorithm, when a challenge is held.
  std::optional<Algorithm> algorithm(ChallengeKind kind) const;

 private:
  struct State {
    std::optional<DigestChallenge> challenge;
    Algorithm algorithm = Algorithm::Md5;
    bool qop_auth = false;
    std::string cnonce;
    std::uint32_t nc = 0;
    std::string ha1;
    std::uint32_t uses = 0;  // requests authorised with this challenge
  };
  State& state(ChallengeKind kind) { return kind == ChallengeKind::Www ? www_ : proxy_; }
  const State& state(ChallengeKind kind) const { return kind == ChallengeKind::Www ? www_ : proxy_; }

  std::string username_;
  std::string password_;
  RandomSource random_;
  State www_;
  State proxy_;
};

}  // namespace rtcgate::sip::auth
