#include "rtcgate/sip/auth/digest_client.hpp"

#include <array>
#include <cstdio>

#include "rtcgate/sip/auth/digest_credentials.hpp"
#include "rtcgate/sip/auth/hex.hpp"

namespace rtcgate::sip::auth {
namespace {

struct Candidate {
  DigestChallenge challenge;
  Algorithm algorithm;
  bool qop_auth;
};

// RFC 8760 §2.4: use the first challenge whose algorithm we support, preferring the strongest.
std::optional<Candidate> pick(std::span<const std::string_view> values, bool& any_parsed) {
  std::optional<Candidate> best;
  for (const auto value : values) {
    auto parsed = parse_challenge(value);
    if (!parsed) continue;
    any_parsed = true;
    const auto algorithm = parsed->parsed_algorithm();
    if (!algorithm) continue;
    const bool qop_auth = parsed->offers_qop_auth();
    if (!qop_auth && !parsed->qop_options.empty()) continue;  // auth-int only
    if (!best || algorithm_preference(*algorithm) > algorithm_preference(best->algorithm)) {
      best = Candidate{std::move(*parsed), *algorithm, qop_auth};
    }
  }
  return best;
}

}  // namespace

DigestClient::DigestClient(std::string username, std::string password, RandomSource random)
    : username_(std::move(username)), password_(std::move(password)), random_(std::move(random)) {}

std::optional<Algorithm> DigestClient::algorithm(ChallengeKind kind) const {
  const State& s = state(kind);
  if (!s.challenge) return std::nullopt;
  return s.algorithm;
}

ClientVerdict DigestClient::on_challenge(ChallengeKind kind, std::span<const std::string_view> values,
                                         std::string_view challenged_nonce) {
  bool any_parsed = false;
  std::optional<Candidate> best = pick(values, any_parsed);
  if (!best) return any_parsed ? ClientVerdict::Unsupported : ClientVerdict::Malformed;
  State& s = state(kind);
  // RFC 7616 §3.3: stale=true means "retry with the new nonce". Otherwise, when the challenged
  // request was the first and only one sent on our nonce, the server refused the credentials
  // themselves. A nonce that had already served other requests may simply have been forgotten by
  // the server (a restart), so that case earns one fresh attempt.
  if (s.challenge && !challenged_nonce.empty() && challenged_nonce == s.challenge->nonce && s.uses == 1 &&
      s.challenge->realm == best->challenge.realm && !best->challenge.stale) {
    s = State{};
    return ClientVerdict::Rejected;
  }
  s = State{};
  s.algorithm = best->algorithm;
  s.qop_auth = best->qop_auth;
  std::array<std::uint8_t, 16> bytes{};
  for (std::size_t i = 0; i < bytes.size(); i += 8) {
    const std::uint64_t r = random_();
    for (std::size_t j = 0; j < 8; ++j)
      bytes[i + j] = static_cast<std::uint8_t>(r >> (8 * j));
  }
  s.cnonce = to_hex(bytes);
  s.ha1 = compute_ha1(s.algorithm, username_, best->challenge.realm, password_);
  s.challenge = std::move(best->challenge);
  return ClientVerdict::Answered;
}

std::optional<std::string> DigestClient::authorize(ChallengeKind kind, std::string_view method,
                                                   std::string_view uri) {
  State& s = state(kind);
  if (!s.challenge) return std::nullopt;
  const DigestChallenge& ch = *s.challenge;
  DigestCredentials c;
  c.username = username_;
  c.realm = ch.realm;
  c.nonce = ch.nonce;
  c.uri = std::string(uri);
  c.algorithm = std::string(algorithm_token(s.algorithm));
  c.opaque = ch.opaque;
  c.has_opaque = ch.has_opaque;
  if (s.qop_auth) {
    ++s.nc;
    std::array<char, 9> nc{};
    std::snprintf(nc.data(), nc.size(), "%08x", s.nc);
    c.nc = nc.data();
    c.qop = "auth";
    c.cnonce = s.cnonce;
  }
  c.response = compute_response({.algorithm = s.algorithm,
                                 .ha1 = s.ha1,
                                 .method = method,
                                 .uri = uri,
                                 .nonce = c.nonce,
                                 .qop = c.qop,
                                 .nc = c.nc,
                                 .cnonce = c.cnonce});
  ++s.uses;
  return write_credentials(c);
}

}  // namespace rtcgate::sip::auth
