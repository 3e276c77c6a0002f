// DigestServer and DigestClient against each other and against hand-built credentials:
// challenge/verify round trips, stale nonces, nc replay, wrong password, unknown user, malformed
// values, bounded nonce table.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rtcgate/sip/auth/digest_challenge.hpp"
#include "rtcgate/sip/auth/digest_client.hpp"
#include "rtcgate/sip/auth/digest_credentials.hpp"
#include "rtcgate/sip/auth/digest_server.hpp"

namespace rtcgate::sip::auth {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kUri = "sip:atlanta.example.com";

RandomSource counting_random() {
  return [n = std::uint64_t{0x1234}]() mutable { return n += 0x9e3779b97f4a7c15ull; };
}

std::vector<std::string_view> views(const std::vector<std::string>& values) {
  return {values.begin(), values.end()};
}

class DigestServerTest : public ::testing::Test {
 protected:
  DigestServer make_server(DigestServerConfig config = {}) {
    if (config.realm.empty()) config.realm = "atlanta.example.com";
    return DigestServer(
        config,
        [](std::string_view user, std::string_view) -> std::optional<UserSecret> {
          if (user == "alice") return UserSecret{.password = "secret1", .ha1_md5 = {}, .ha1_sha256 = {}};
          if (user == "carol") {
            return UserSecret{.password = std::nullopt,
                              .ha1_md5 = compute_ha1(Algorithm::Md5, "carol", "atlanta.example.com", "pw"),
                              .ha1_sha256 = {}};
          }
          return std::nullopt;
        },
        counting_random());
  }

  // Answers the server's challenge with a client, returns the credentials value.
  std::string answer(DigestServer& server, DigestClient& client, bool stale = false,
                     std::string_view method = "REGISTER") {
    const auto values = server.challenges(now_, stale);
    EXPECT_EQ(client.on_challenge(ChallengeKind::Www, views(values)), ClientVerdict::Answered);
    return client.authorize(ChallengeKind::Www, method, kUri).value_or("");
  }

  AuthResult verify(DigestServer& server, std::string_view value, std::string_view method = "REGISTER") {
    const std::string_view one[] = {value};
    return server.verify(method, kUri, one, now_);
  }

  TimePoint now_ = TimePoint{} + 1000h;
};

TEST_F(DigestServerTest, ChallengesOfferSha256ThenMd5WithOneNonce) {
  DigestServer server = make_server();
  const auto values = server.challenges(now_);
  ASSERT_EQ(values.size(), 2u);
  const auto first = parse_challenge(values[0]);
  const auto second = parse_challenge(values[1]);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->algorithm, "SHA-256");
  EXPECT_EQ(second->algorithm, "MD5");
  EXPECT_EQ(first->nonce, second->nonce);
  EXPECT_EQ(first->realm, "atlanta.example.com");
  EXPECT_TRUE(first->offers_qop_auth());
  EXPECT_TRUE(first->has_opaque);
  EXPECT_FALSE(first->stale);
  EXPECT_EQ(first->nonce.size(), 64u);
  EXPECT_TRUE(parse_challenge(server.challenges(now_, true)[0])->stale);
}

TEST_F(DigestServerTest, ClientAnswerIsAcceptedWithSha256) {
  DigestServer server = make_server();
  DigestClient client("alice", "secret1", counting_random());
  const std::string creds = answer(server, client);
  EXPECT_EQ(client.algorithm(ChallengeKind::Www), Algorithm::Sha256);
  EXPECT_NE(creds.find("algorithm=SHA-256"), std::string::npos);
  const AuthResult result = verify(server, creds);
  EXPECT_EQ(result.verdict, AuthVerdict::Ok);
  EXPECT_EQ(result.username, "alice");
}

TEST_F(DigestServerTest, Md5OnlyServerAndPrecomputedHa1) {
  DigestServer server =
      make_server({.realm = {}, .algorithms = {Algorithm::Md5}, .accept_rfc2069 = false, .nonces = {}});
  DigestClient client("carol", "pw", counting_random());
  const std::string creds = answer(server, client);
  EXPECT_EQ(client.algorithm(ChallengeKind::Www), Algorithm::Md5);
  EXPECT_EQ(verify(server, creds).verdict, AuthVerdict::Ok);
}

TEST_F(DigestServerTest, PrecomputedHa1OfTheOtherFamilyIsUnknownUser) {
  DigestServer server = make_server();  // offers SHA-256 first; carol only has an MD5 HA1
  DigestClient client("carol", "pw", counting_random());
  EXPECT_EQ(verify(server, answer(server, client)).verdict, AuthVerdict::UnknownUser);
}

TEST_F(DigestServerTest, ReuseWithIncreasingNcAndReplayRejected) {
  DigestServer server = make_server();
  DigestClient client("alice", "secret1", counting_random());
  const std::string first = answer(server, client);
  EXPECT_EQ(verify(server, first).verdict, AuthVerdict::Ok);
  const std::string second = client.authorize(ChallengeKind::Www, "REGISTER", kUri).value();
  EXPECT_NE(second.find("nc=00000002"), std::string::npos);
  EXPECT_EQ(verify(server, second).verdict, AuthVerdict::Ok);
  EXPECT_EQ(verify(server, second).verdict, AuthVerdict::Replay);
  EXPECT_EQ(verify(server, first).verdict, AuthVerdict::Replay);
  const std::string invite = client.authorize(ChallengeKind::Www, "INVITE", kUri).value();
  EXPECT_EQ(verify(server, invite, "INVITE").verdict, AuthVerdict::Ok);
}

TEST_F(DigestServerTest, ExpiredNonceIsStaleAndClientRecovers) {
  DigestServer server = make_server();
  DigestClient client("alice", "secret1", counting_random());
  const std::string creds = answer(server, client);
  now_ += 301s;  // default lifetime 300 s
  EXPECT_EQ(verify(server, creds).verdict, AuthVerdict::Stale);
  const auto stale_values = server.challenges(now_, true);
  const std::string old_nonce = parse_credentials(creds)->nonce;
  EXPECT_EQ(client.on_challenge(ChallengeKind::Www, views(stale_values), old_nonce), ClientVerdict::Answered);
  EXPECT_EQ(verify(server, client.authorize(ChallengeKind::Www, "REGISTER", kUri).value()).verdict,
            AuthVerdict::Ok);
}

TEST_F(DigestServerTest, ExpiredNonceWithWrongPasswordIsNotStale) {
  DigestServer server = make_server();
  DigestClient client("alice", "wrong", counting_random());
  const std::string creds = answer(server, client);
  now_ += 301s;
  EXPECT_EQ(verify(server, creds).verdict, AuthVerdict::BadCredentials);
}

TEST_F(DigestServerTest, WrongPasswordRejectedAndClientStopsRetrying) {
  DigestServer server = make_server();
  DigestClient client("alice", "wrong", counting_random());
  const std::string creds = answer(server, client);
  EXPECT_EQ(verify(server, creds).verdict, AuthVerdict::BadCredentials);
  const auto again = server.challenges(now_);
  EXPECT_EQ(client.on_challenge(ChallengeKind::Www, views(again), parse_credentials(creds)->nonce),
            ClientVerdict::Rejected);
  EXPECT_FALSE(client.has_challenge(ChallengeKind::Www));
}

TEST_F(DigestServerTest, ForgottenNonceAfterUseEarnsAFreshAttempt) {
  DigestServer server = make_server();
  DigestClient client("alice", "secret1", counting_random());
  const std::string first = answer(server, client);
  const std::string second = client.authorize(ChallengeKind::Www, "INVITE", kUri).value();
  const auto again = server.challenges(now_);
  EXPECT_EQ(client.on_challenge(ChallengeKind::Www, views(again), parse_credentials(second)->nonce),
            ClientVerdict::Answered);
  (void)first;
}

TEST_F(DigestServerTest, UnknownUser) {
  DigestServer server = make_server();
  DigestClient client("mallory", "x", counting_random());
  const AuthResult result = verify(server, answer(server, client));
  EXPECT_EQ(result.verdict, AuthVerdict::UnknownUser);
  EXPECT_EQ(result.username, "mallory");
}

TEST_F(DigestServerTest, MissingMalformedAndForeignRealm) {
  DigestServer server = make_server();
  EXPECT_EQ(server.verify("REGISTER", kUri, {}, now_).verdict, AuthVerdict::Missing);
  EXPECT_EQ(verify(server, "Digest username=\"alice\", realm=\"atlanta.example.com\"").verdict,
            AuthVerdict::Malformed);
  EXPECT_EQ(verify(server, "Digest username=\"alice\", realm=\"unterminated").verdict,
            AuthVerdict::Malformed);
  DigestClient client("alice", "secret1", counting_random());
  std::string creds = answer(server, client);
  const auto realm_at = creds.find("atlanta.example.com");
  creds.replace(realm_at, 19, "biloxi.example.com.");
  EXPECT_EQ(verify(server, creds).verdict, AuthVerdict::Missing);
}

TEST_F(DigestServerTest, UriMismatchForgedNonceAndOpaque) {
  DigestServer server = make_server();
  DigestClient client("alice", "secret1", counting_random());
  const std::string creds = answer(server, client);
  const std::string_view one[] = {creds};
  EXPECT_EQ(server.verify("REGISTER", "sip:other.example.com", one, now_).verdict, AuthVerdict::UriMismatch);

  auto forged = parse_credentials(creds).value();
  forged.nonce[40] = forged.nonce[40] == 'a' ? 'b' : 'a';
  EXPECT_EQ(verify(server, write_credentials(forged)).verdict, AuthVerdict::InvalidNonce);

  auto wrong_opaque = parse_credentials(creds).value();
  wrong_opaque.opaque = "00";
  EXPECT_EQ(verify(server, write_credentials(wrong_opaque)).verdict, AuthVerdict::BadCredentials);
  EXPECT_EQ(verify(server, creds).verdict, AuthVerdict::Ok);  // none of the above consumed the nc
}

TEST_F(DigestServerTest, TamperedResponseAndMethod) {
  DigestServer server = make_server();
  DigestClient client("alice", "secret1", counting_random());
  const std::string creds = answer(server, client);
  EXPECT_EQ(verify(server, creds, "INVITE").verdict, AuthVerdict::BadCredentials);  // HA2 covers the method
  auto tampered = parse_credentials(creds).value();
  tampered.response[0] = tampered.response[0] == '0' ? '1' : '0';
  EXPECT_EQ(verify(server, write_credentials(tampered)).verdict, AuthVerdict::BadCredentials);
}

TEST_F(DigestServerTest, AlgorithmNotOfferedAndQopRules) {
  DigestServer server =
      make_server({.realm = {}, .algorithms = {Algorithm::Sha256}, .accept_rfc2069 = false, .nonces = {}});
  const std::string nonce = parse_challenge(server.challenges(now_)[0])->nonce;
  DigestCredentials c;
  c.username = "alice";
  c.realm = "atlanta.example.com";
  c.nonce = nonce;
  c.uri = std::string(kUri);
  c.algorithm = "MD5";
  c.qop = "auth";
  c.nc = "00000001";
  c.cnonce = "abc";
  const std::string ha1 = compute_ha1(Algorithm::Md5, "alice", "atlanta.example.com", "secret1");
  c.response = compute_response({Algorithm::Md5, ha1, "REGISTER", kUri, nonce, "auth", "00000001", "abc"});
  EXPECT_EQ(verify(server, write_credentials(c)).verdict, AuthVerdict::Unsupported);
  c.algorithm = "SHA-256";
  c.qop.clear();
  c.nc.clear();
  c.cnonce.clear();
  c.has_opaque = false;
  EXPECT_EQ(verify(server, write_credentials(c)).verdict, AuthVerdict::Unsupported);  // RFC 2069 off
}

TEST_F(DigestServerTest, Rfc2069CredentialsWhenEnabled) {
  DigestServer server =
      make_server({.realm = {}, .algorithms = {Algorithm::Md5}, .accept_rfc2069 = true, .nonces = {}});
  // A server challenge without qop, as an RFC 2069 client would see it from an old server.
  auto challenge = parse_challenge(server.challenges(now_)[0]).value();
  challenge.qop_options.clear();
  DigestClient client("alice", "secret1", counting_random());
  const std::string value = write_challenge(challenge);
  const std::string_view one[] = {value};
  ASSERT_EQ(client.on_challenge(ChallengeKind::Www, one), ClientVerdict::Answered);
  const std::string creds = client.authorize(ChallengeKind::Www, "REGISTER", kUri).value();
  EXPECT_EQ(creds.find("qop"), std::string::npos);
  EXPECT_EQ(creds.find("nc="), std::string::npos);
  EXPECT_EQ(verify(server, creds).verdict, AuthVerdict::Ok);
}

TEST_F(DigestServerTest, NonceTableIsBoundedAndEvictedNoncesAreStale) {
  DigestServerConfig config;
  config.nonces.max_entries = 2;
  DigestServer server = make_server(config);
  DigestClient client("alice", "secret1", counting_random());
  const std::string creds = answer(server, client);
  server.challenges(now_);
  server.challenges(now_);  // evicts the first nonce
  EXPECT_EQ(verify(server, creds).verdict, AuthVerdict::Stale);
}

TEST(NonceTracker, IssueCheckUseAndExpiry) {
  NonceTracker tracker({.lifetime = std::chrono::seconds(10), .max_entries = 8, .secret = "s"},
                       counting_random());
  const TimePoint t0 = TimePoint{} + std::chrono::hours(5);
  const std::string nonce = tracker.issue(t0);
  EXPECT_EQ(tracker.check(nonce, t0), NonceStatus::Valid);
  EXPECT_EQ(tracker.check(nonce, t0 + std::chrono::seconds(10)), NonceStatus::Valid);
  EXPECT_EQ(tracker.check(nonce, t0 + std::chrono::seconds(11)), NonceStatus::Expired);
  EXPECT_EQ(tracker.check(nonce, t0 - std::chrono::seconds(1)), NonceStatus::Invalid);
  EXPECT_EQ(tracker.check("short", t0), NonceStatus::Invalid);
  EXPECT_EQ(tracker.use(nonce, 1), CountStatus::Fresh);
  EXPECT_EQ(tracker.use(nonce, 3), CountStatus::Fresh);
  EXPECT_EQ(tracker.use(nonce, 2), CountStatus::Replayed);
  EXPECT_EQ(tracker.use("other", 1), CountStatus::Unknown);
  // Another server secret does not accept this server's nonces.
  NonceTracker other({.lifetime = std::chrono::seconds(10), .max_entries = 8, .secret = "t"},
                     counting_random());
  EXPECT_EQ(other.check(nonce, t0), NonceStatus::Invalid);
  // Expired entries leave the table when new nonces are issued.
  tracker.issue(t0 + std::chrono::seconds(60));
  EXPECT_EQ(tracker.size(), 1u);
}

TEST(DigestClient, PicksStrongestSupportedChallenge) {
  DigestClient client("alice", "pw", counting_random());
  const std::string_view values[] = {
      "Digest realm=\"r\", nonce=\"n1\", algorithm=SHA-512-256, qop=\"auth\"",
      "Digest realm=\"r\", nonce=\"n2\", algorithm=MD5, qop=\"auth\"",
      "Digest realm=\"r\", nonce=\"n3\", algorithm=SHA-256, qop=\"auth-int\"",
  };
  ASSERT_EQ(client.on_challenge(ChallengeKind::Proxy, values), ClientVerdict::Answered);
  EXPECT_EQ(client.algorithm(ChallengeKind::Proxy), Algorithm::Md5);
  EXPECT_FALSE(client.has_challenge(ChallengeKind::Www));
  EXPECT_FALSE(client.authorize(ChallengeKind::Www, "INVITE", "sip:x").has_value());
  const auto creds = parse_credentials(client.authorize(ChallengeKind::Proxy, "INVITE", "sip:bob@r").value());
  ASSERT_TRUE(creds.has_value());
  EXPECT_EQ(creds->nonce, "n2");
  EXPECT_EQ(creds->nc, "00000001");
  EXPECT_EQ(creds->cnonce.size(), 32u);
  EXPECT_FALSE(creds->has_opaque);
  const std::string ha1 = compute_ha1(Algorithm::Md5, "alice", "r", "pw");
  EXPECT_EQ(creds->response, compute_response({Algorithm::Md5, ha1, "INVITE", "sip:bob@r", "n2", "auth",
                                               "00000001", creds->cnonce}));
}

TEST(DigestClient, UnsupportedAndMalformedChallenges) {
  DigestClient client("alice", "pw", counting_random());
  const std::string_view only_int[] = {"Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\""};
  EXPECT_EQ(client.on_challenge(ChallengeKind::Www, only_int), ClientVerdict::Unsupported);
  const std::string_view garbage[] = {"Digest realm=\"r", "Basic realm=\"r\""};
  EXPECT_EQ(client.on_challenge(ChallengeKind::Www, garbage), ClientVerdict::Malformed);
  EXPECT_EQ(client.on_challenge(ChallengeKind::Www, {}), ClientVerdict::Malformed);
}

}  // namespace
}  // namespace rtcgate::sip::auth
