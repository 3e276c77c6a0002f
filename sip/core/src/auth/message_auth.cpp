#include "rtcgate/sip/auth/message_auth.hpp"

#include <vector>

#include "rtcgate/sip/auth/digest_credentials.hpp"
#include "rtcgate/sip/response.hpp"

namespace rtcgate::sip::auth {

std::string_view challenge_header(ChallengeKind kind) {
  return kind == ChallengeKind::Www ? "WWW-Authenticate" : "Proxy-Authenticate";
}

std::string_view credentials_header(ChallengeKind kind) {
  return kind == ChallengeKind::Www ? "Authorization" : "Proxy-Authorization";
}

AuthResult verify_request(DigestServer& server, const Message& request, ChallengeKind kind, TimePoint now) {
  const std::vector<std::string_view> values = request.all(credentials_header(kind));
  return server.verify(request.method_token(), request.request_uri().to_string(), values, now);
}

Message make_challenge(DigestServer& server, const Message& request, ChallengeKind kind, bool stale,
                       std::string_view to_tag, TimePoint now) {
  const int status = kind == ChallengeKind::Www ? 401 : 407;
  Message response = make_response(request, status, default_reason(status), to_tag);
  for (const auto& value : server.challenges(now, stale))
    response.add(challenge_header(kind), value);
  return response;
}

ClientVerdict on_challenge(DigestClient& client, const Message& request, const Message& response) {
  if (!response.is_response() || (response.status() != 401 && response.status() != 407)) {
    return ClientVerdict::Malformed;
  }
  const ChallengeKind kind = response.status() == 401 ? ChallengeKind::Www : ChallengeKind::Proxy;
  std::string challenged_nonce;
  if (const auto sent = request.first(credentials_header(kind))) {
    if (auto parsed = parse_credentials(*sent)) challenged_nonce = std::move(parsed->nonce);
  }
  const std::vector<std::string_view> values = response.all(challenge_header(kind));
  return client.on_challenge(kind, values, challenged_nonce);
}

bool authorize(DigestClient& client, Message& request) {
  bool any = false;
  const std::string uri = request.request_uri().to_string();
  for (const auto kind : {ChallengeKind::Www, ChallengeKind::Proxy}) {
    if (auto value = client.authorize(kind, request.method_token(), uri)) {
      request.replace(credentials_header(kind), *value);
      any = true;
    }
  }
  return any;
}

}  // namespace rtcgate::sip::auth
