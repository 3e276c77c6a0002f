// Digest authentication over whole SIP messages: a client answering a server's 401 for REGISTER
// (which the registrar then accepts) and a 407 for INVITE, through serialize/parse each time.
#include <gtest/gtest.h>

#include <string>

#include "rtcgate/sip/auth/message_auth.hpp"
#include "rtcgate/sip/parser.hpp"
#include "rtcgate/sip/registrar/in_memory_location_store.hpp"
#include "rtcgate/sip/registrar/registrar.hpp"
#include "rtcgate/sip/serialize.hpp"

namespace rtcgate::sip::auth {
namespace {

using namespace std::chrono_literals;

Message wire(const Message& m) {  // what the peer sees: serialise and parse again
  auto parsed = parse_message(serialize(m));
  EXPECT_TRUE(parsed.has_value());
  return parsed ? std::move(*parsed) : Message{};
}

Message request(std::string_view method, std::string_view uri, std::uint32_t cseq) {
  const std::string text = std::string(method) + " " + std::string(uri) +
                           " SIP/2.0\r\n"
                           "Via: SIP/2.0/WS abc.invalid;branch=z9hG4bK-" +
                           std::to_string(cseq) +
                           "\r\n"
                           "Max-Forwards: 70\r\n"
                           "From: <sip:alice@example.com>;tag=a1\r\n"
                           "To: <sip:alice@example.com>\r\n"
                           "Call-ID: call-1@abc.invalid\r\n"
                           "CSeq: " +
                           std::to_string(cseq) + " " + std::string(method) +
                           "\r\n"
                           "Contact: <sip:alice@abc.invalid;transport=ws>;expires=600\r\n"
                           "Content-Length: 0\r\n\r\n";
  return parse_message(text).value();
}

UserLookup users() {
  return [](std::string_view user, std::string_view) -> std::optional<UserSecret> {
    if (user != "alice") return std::nullopt;
    return UserSecret{.password = "wonderland", .ha1_md5 = {}, .ha1_sha256 = {}};
  };
}

TEST(AuthMessage, RegisterChallengedThenAcceptedByRegistrar) {
  const TimePoint now = TimePoint{} + 10h;
  DigestServer server({.realm = "example.com",
                       .algorithms = {Algorithm::Sha256, Algorithm::Md5},
                       .accept_rfc2069 = false,
                       .nonces = {}},
                      users());
  DigestClient client("alice", "wonderland");
  registrar::InMemoryLocationStore store;
  registrar::Registrar registrar({}, store);

  Message first = wire(request("REGISTER", "sip:example.com", 1));
  AuthResult result = verify_request(server, first, ChallengeKind::Www, now);
  ASSERT_EQ(result.verdict, AuthVerdict::Missing);
  const Message challenge = wire(make_challenge(server, first, ChallengeKind::Www, false, "srv1", now));
  ASSERT_EQ(challenge.status(), 401);
  ASSERT_EQ(challenge.all("WWW-Authenticate").size(), 2u);

  ASSERT_EQ(on_challenge(client, first, challenge), ClientVerdict::Answered);
  Message second = request("REGISTER", "sip:example.com", 2);
  ASSERT_TRUE(authorize(client, second));
  second = wire(second);
  EXPECT_NE(second.first("Authorization")->find("algorithm=SHA-256"), std::string_view::npos);
  result = verify_request(server, second, ChallengeKind::Www, now);
  ASSERT_EQ(result.verdict, AuthVerdict::Ok);
  const auto reply =
      registrar.handle(second, {.flow = "ws-7", .authenticated_user = result.username, .to_tag = {}}, now);
  ASSERT_EQ(reply.response.status(), 200);
  ASSERT_EQ(registrar.lookup(std::string_view("sip:alice@example.com"), now).size(), 1u);

  // A refresh reuses the nonce with nc=2; a replay of it is refused.
  Message refresh = request("REGISTER", "sip:example.com", 3);
  ASSERT_TRUE(authorize(client, refresh));
  refresh = wire(refresh);
  EXPECT_EQ(verify_request(server, refresh, ChallengeKind::Www, now + 60s).verdict, AuthVerdict::Ok);
  EXPECT_EQ(verify_request(server, refresh, ChallengeKind::Www, now + 61s).verdict, AuthVerdict::Replay);
}

TEST(AuthMessage, InviteGets407AndProxyAuthorization) {
  const TimePoint now = TimePoint{} + 10h;
  DigestServer proxy(
      {.realm = "proxy.example.com", .algorithms = {Algorithm::Md5}, .accept_rfc2069 = false, .nonces = {}},
      users());
  DigestClient client("alice", "wonderland");
  const Message invite = wire(request("INVITE", "sip:bob@example.com", 1));
  const Message challenge = wire(make_challenge(proxy, invite, ChallengeKind::Proxy, false, "p1", now));
  ASSERT_EQ(challenge.status(), 407);
  ASSERT_EQ(on_challenge(client, invite, challenge), ClientVerdict::Answered);
  Message retry = request("INVITE", "sip:bob@example.com", 2);
  ASSERT_TRUE(authorize(client, retry));
  retry = wire(retry);
  EXPECT_FALSE(retry.has("Authorization"));
  EXPECT_EQ(verify_request(proxy, retry, ChallengeKind::Proxy, now).verdict, AuthVerdict::Ok);
  EXPECT_EQ(verify_request(proxy, retry, ChallengeKind::Www, now).verdict, AuthVerdict::Missing);
}

TEST(AuthMessage, WrongPasswordEndsWithRejected) {
  const TimePoint now = TimePoint{} + 10h;
  DigestServer server({.realm = "example.com",
                       .algorithms = {Algorithm::Sha256, Algorithm::Md5},
                       .accept_rfc2069 = false,
                       .nonces = {}},
                      users());
  DigestClient client("alice", "not-it");
  const Message first = wire(request("REGISTER", "sip:example.com", 1));
  ASSERT_EQ(
      on_challenge(client, first, wire(make_challenge(server, first, ChallengeKind::Www, false, "t", now))),
      ClientVerdict::Answered);
  Message second = request("REGISTER", "sip:example.com", 2);
  ASSERT_TRUE(authorize(client, second));
  second = wire(second);
  EXPECT_EQ(verify_request(server, second, ChallengeKind::Www, now).verdict, AuthVerdict::BadCredentials);
  const Message again = wire(make_challenge(server, second, ChallengeKind::Www, false, "t", now));
  EXPECT_EQ(on_challenge(client, second, again), ClientVerdict::Rejected);
  Message third = request("REGISTER", "sip:example.com", 3);
  EXPECT_FALSE(authorize(client, third));
}

}  // namespace
}  // namespace rtcgate::sip::auth
