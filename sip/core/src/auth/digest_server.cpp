#include "rtcgate/sip/auth/digest_server.hpp"

#include <array>

#include "rtcgate/sip/auth/digest_challenge.hpp"
#include "rtcgate/sip/auth/digest_credentials.hpp"
#include "rtcgate/sip/auth/hex.hpp"

namespace rtcgate::sip::auth {
namespace {

// Chosen from the credentials for our realm; the first one wins (RFC 3261 §22.4: one per realm).
struct Selected {
  std::optional<DigestCredentials> credentials;
  bool any_malformed = false;
};

Selected select(std::span<const std::string_view> values, std::string_view realm) {
  Selected out;
  for (const auto value : values) {
    auto parsed = parse_credentials(value);
    if (!parsed) {
      out.any_malformed = true;
      continue;
    }
    if (parsed->realm == realm) {
      out.credentials = std::move(*parsed);
      return out;
    }
  }
  return out;
}

}  // namespace

std::string_view to_string(AuthVerdict verdict) {
  switch (verdict) {
    case AuthVerdict::Ok:
      return "ok";
    case AuthVerdict::Missing:
      return "missing";
    case AuthVerdict::Malformed:
      return "malformed";
    case AuthVerdict::Unsupported:
      return "unsupported";
    case AuthVerdict::UriMismatch:
      return "uri-mismatch";
    case AuthVerdict::InvalidNonce:
      return "invalid-nonce";
    case AuthVerdict::UnknownUser:
      return "unknown-user";
    case AuthVerdict::BadCredentials:
      return "bad-credentials";
    case AuthVerdict::Stale:
      return "stale";
    case AuthVerdict::Replay:
      return "replay";
  }
  return "unknown";
}

DigestServer::DigestServer(DigestServerConfig config, UserLookup lookup, RandomSource random)
    : config_(std::move(config)), lookup_(std::move(lookup)), nonces_(config_.nonces, random) {
  // The opaque only has to come back unchanged (RFC 7616 §3.3); a random per-server value also
  // makes credentials captured from another server instance useless here.
  std::array<std::uint8_t, 8> bytes{};
  const std::uint64_t value = random();
  for (std::size_t i = 0; i < bytes.size(); ++i)
    bytes[i] = static_cast<std::uint8_t>(value >> (8 * i));
  opaque_ = to_hex(bytes);
}

bool DigestServer::offered(Algorithm algorithm) const {
  for (const auto a : config_.algorithms) {
    if (a == algorithm) return true;
  }
  return false;
}

std::vector<std::string> DigestServer::challenges(TimePoint now, bool stale) {
  DigestChallenge challenge;
  challenge.realm = config_.realm;
  challenge.nonce = nonces_.issue(now);
  challenge.opaque = opaque_;
  challenge.has_opaque = true;
  challenge.stale = stale;
  challenge.qop_options = {"auth"};
  std::vector<std::string> out;
  out.reserve(config_.algorithms.size());
  for (const auto algorithm : config_.algorithms) {
    challenge.algorithm = std::string(algorithm_token(algorithm));
    out.push_back(write_challenge(challenge));
  }
  return out;
}

std::optional<std::string> DigestServer::ha1_for(const UserSecret& secret, Algorithm algorithm,
                                                 std::string_view username) const {
  if (secret.password) return compute_ha1(algorithm, username, config_.realm, *secret.password);
  const bool sha = algorithm == Algorithm::Sha256 || algorithm == Algorithm::Sha256Sess;
  const std::string& stored = sha ? secret.ha1_sha256 : secret.ha1_md5;
  if (stored.empty()) return std::nullopt;
  return stored;
}

AuthResult DigestServer::verify(std::string_view method, std::string_view request_uri,
                                std::span<const std::string_view> credentials, TimePoint now) {
  const Selected selected = select(credentials, config_.realm);
  if (!selected.credentials) {
    return {selected.any_malformed ? AuthVerdict::Malformed : AuthVerdict::Missing, {}};
  }
  const DigestCredentials& c = *selected.credentials;
  AuthResult result{AuthVerdict::Ok, c.username};
  const auto fail = [&result](AuthVerdict verdict) {
    result.verdict = verdict;
    return result;
  };
  const std::optional<Algorithm> algorithm =
      c.algorithm.empty() ? Algorithm::Md5 : parse_algorithm(c.algorithm);
  if (!algorithm || !offered(*algorithm)) return fail(AuthVerdict::Unsupported);
  const bool qop_auth = iequals(c.qop, "auth");
  if (!qop_auth && !(c.qop.empty() && config_.accept_rfc2069)) return fail(AuthVerdict::Unsupported);
  if (!iequals(c.uri, request_uri)) return fail(AuthVerdict::UriMismatch);
  if (c.opaque != opaque_) return fail(AuthVerdict::BadCredentials);
  const NonceStatus nonce = nonces_.check(c.nonce, now);
  if (nonce == NonceStatus::Invalid) return fail(AuthVerdict::InvalidNonce);

  const std::optional<UserSecret> secret = lookup_(c.username, c.realm);
  std::optional<std::string> ha1 = secret ? ha1_for(*secret, *algorithm, c.username) : std::nullopt;
  // An unknown user costs the same hashing as a known one, so timing does not reveal user names.
  const std::string expected =
      compute_response({.algorithm = *algorithm,
                        .ha1 = ha1 ? std::string_view(*ha1) : std::string_view("x"),
                        .method = method,
                        .uri = c.uri,
                        .nonce = c.nonce,
                        .qop = qop_auth ? std::string_view("auth") : std::string_view(),
                        .nc = c.nc,
                        .cnonce = c.cnonce});
  if (!ha1) return fail(AuthVerdict::UnknownUser);
  if (!equal_constant_time_icase(expected, c.response)) return fail(AuthVerdict::BadCredentials);
  if (nonce == NonceStatus::Expired || nonce == NonceStatus::Forgotten) return fail(AuthVerdict::Stale);
  // RFC 2069 credentials carry no nc; they are accepted for the nonce's lifetime.
  if (qop_auth && nonces_.use(c.nonce, c.nonce_count()) != CountStatus::Fresh)
    return fail(AuthVerdict::Replay);
  return result;
}

}  // namespace rtcgate::sip::auth
