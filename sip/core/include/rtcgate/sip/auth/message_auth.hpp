// Digest authentication applied to SIP messages (RFC 3261 §22): which header carries what, and
// building the 401/407 responses.
//
// ChallengeKind::Www pairs a 401 and WWW-Authenticate with Authorization (a registrar or UAS);
// ChallengeKind::Proxy pairs a 407 and Proxy-Authenticate with Proxy-Authorization (a proxy,
// RFC 3261 §22.3). The request-URI written on the request line is the digest-uri on both sides.
// Pure functions over the Message; the server and client keep the state. Thread affinity: that of
// the server or client passed in.
#pragma once

#include <string_view>

#include "rtcgate/sip/auth/digest_client.hpp"
#include "rtcgate/sip/auth/digest_server.hpp"
#include "rtcgate/sip/clock.hpp"
#include "rtcgate/sip/message.hpp"

namespace rtcgate::sip::auth {

std::string_view challenge_header(ChallengeKind kind);    // "WWW-Authenticate" / "Proxy-Authenticate"
std::string_view credentials_header(ChallengeKind kind);  // "Authorization" / "Proxy-Authorization"

// Verifies the credentials a request carries for the server's realm.
AuthResult verify_request(DigestServer& server, const Message& request, ChallengeKind kind, TimePoint now);

// A 401 (Www) or 407 (Proxy) for the request with one challenge per algorithm of the server;
// stale=true when `stale` (answer to AuthVerdict::Stale). RFC 3261 §8.2.6 response rules.
Message make_challenge(DigestServer& server, const Message& request, ChallengeKind kind, bool stale,
                       std::string_view to_tag, TimePoint now);

// Feeds a 401/407 response to the client. `request` is the request it answers (its credentials,
// if any, tell a refused password from a lost nonce). Other statuses give Malformed.
ClientVerdict on_challenge(DigestClient& client, const Message& request, const Message& response);

// Adds (replacing any earlier one) the Authorization and/or Proxy-Authorization for which the
// client holds a challenge. Returns false when it holds none.
bool authorize(DigestClient& client, Message& request);

}  // namespace rtcgate::sip::auth
