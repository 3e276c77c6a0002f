// Header-value grammar: auth-param lists, quoted strings and escapes, token68, limits, and the
// typed challenge/credentials views.
#include <gtest/gtest.h>

#include <string>

#include "rtcgate/sip/auth/auth_value.hpp"
#include "rtcgate/sip/auth/digest_challenge.hpp"
#include "rtcgate/sip/auth/digest_credentials.hpp"

namespace rtcgate::sip::auth {
namespace {

TEST(AuthValue, ParsesQuotedAndBareParams) {
  const auto v =
      parse_auth_value("Digest realm=\"atlanta.com\",  nonce=\"84a4cc6f\" ,algorithm=MD5,qop=\"auth\"");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->scheme, "Digest");
  ASSERT_EQ(v->params.size(), 4u);
  EXPECT_EQ(v->find("REALM")->value, "atlanta.com");
  EXPECT_TRUE(v->find("realm")->quoted);
  EXPECT_EQ(v->find("algorithm")->value, "MD5");
  EXPECT_FALSE(v->find("algorithm")->quoted);
  EXPECT_EQ(v->find("missing"), nullptr);
}

TEST(AuthValue, UnescapesQuotedPairs) {
  const auto v = parse_auth_value(R"(Digest realm="a \"quoted\" realm \\ here", nonce="x")");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->find("realm")->value, R"(a "quoted" realm \ here)");
  const std::string written = write_auth_value(*v);
  EXPECT_EQ(written, R"(Digest realm="a \"quoted\" realm \\ here", nonce="x")");
  const auto again = parse_auth_value(written);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->find("realm")->value, v->find("realm")->value);
}

TEST(AuthValue, ToleratesEmptyListElementsTabsAndBareUris) {
  const auto v = parse_auth_value("Digest\tusername=alice,, uri=sip:bob@example.com;transport=udp ,");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->find("uri")->value, "sip:bob@example.com;transport=udp");
  // A bare value that is not a token is quoted on output.
  EXPECT_EQ(write_auth_value(*v), "Digest username=alice, uri=\"sip:bob@example.com;transport=udp\"");
}

TEST(AuthValue, Token68Form) {
  const auto v = parse_auth_value("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->token68, "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  EXPECT_TRUE(v->params.empty());
  EXPECT_EQ(write_auth_value(*v), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  const auto scheme_only = parse_auth_value("Negotiate");
  ASSERT_TRUE(scheme_only.has_value());
  EXPECT_EQ(scheme_only->scheme, "Negotiate");
}

struct BadCase {
  const char* text;
  AuthErrc code;
};

TEST(AuthValue, RejectsMalformedValuesWithSpecificErrors) {
  const BadCase cases[] = {
      {"", AuthErrc::Empty},
      {"   ", AuthErrc::Empty},
      {"\"Digest\" realm=x", AuthErrc::BadScheme},
      {"Digest realm x", AuthErrc::ExpectedEquals},
      {"Digest realm;x=y", AuthErrc::ExpectedEquals},
      {"Digest realm=, nonce=x", AuthErrc::BadValue},
      {"Digest realm=\"abc", AuthErrc::UnterminatedQuote},
      {"Digest realm=\"abc\\", AuthErrc::UnterminatedQuote},
      {"Digest realm=\"a\rb\"", AuthErrc::BadCharacter},
      {"Digest realm=\"a\\\nb\"", AuthErrc::BadCharacter},
      {"Digest realm=a, realm=b", AuthErrc::DuplicateParam},
      {"Digest realm=a REALM=b", AuthErrc::ExpectedComma},
      {"Digest =a", AuthErrc::BadParamName},
      {"Digest realm=\"a\"x", AuthErrc::ExpectedComma},
  };
  for (const auto& c : cases) {
    const auto v = parse_auth_value(c.text);
    ASSERT_FALSE(v.has_value()) << c.text;
    EXPECT_EQ(v.error().code, c.code) << c.text << " got " << to_string(v.error().code);
  }
}

TEST(AuthValue, EnforcesLimits) {
  std::string many = "Digest ";
  for (std::size_t i = 0; i <= kMaxAuthParams; ++i)
    many += "p" + std::to_string(i) + "=v,";
  const auto v = parse_auth_value(many);
  ASSERT_FALSE(v.has_value());
  EXPECT_EQ(v.error().code, AuthErrc::TooManyParams);
  const auto long_value = parse_auth_value("Digest realm=\"" + std::string(kMaxAuthValueSize, 'x') + "\"");
  ASSERT_FALSE(long_value.has_value());
  EXPECT_EQ(long_value.error().code, AuthErrc::TooLong);
}

TEST(AuthChallenge, ParsesRfc8760StyleChallenge) {
  const auto c = parse_challenge(
      "Digest realm=\"atlanta.com\", nonce=\"b3ZlcmZsb3c=\", opaque=\"op\", stale=TRUE, "
      "algorithm=SHA-256, qop=\"auth,auth-int\"");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->realm, "atlanta.com");
  EXPECT_EQ(c->parsed_algorithm(), Algorithm::Sha256);
  EXPECT_TRUE(c->stale);
  EXPECT_TRUE(c->offers_qop_auth());
  ASSERT_EQ(c->qop_options.size(), 2u);
  EXPECT_EQ(c->qop_options[1], "auth-int");
  const auto again = parse_challenge(write_challenge(*c));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->nonce, c->nonce);
  EXPECT_EQ(again->opaque, c->opaque);
  EXPECT_EQ(again->qop_options, c->qop_options);
  EXPECT_TRUE(again->stale);
}

TEST(AuthChallenge, DefaultsAndErrors) {
  const auto c = parse_challenge("digest realm=\"r\", nonce=\"n\"");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->parsed_algorithm(), Algorithm::Md5);  // RFC 7616 §3.3: absent means MD5
  EXPECT_FALSE(c->offers_qop_auth());
  EXPECT_FALSE(c->has_opaque);
  EXPECT_FALSE(parse_challenge("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-512-256")->parsed_algorithm());
  EXPECT_EQ(parse_challenge("Basic realm=\"r\"").error().code, AuthErrc::NotDigest);
  EXPECT_EQ(parse_challenge("Digest realm=\"r\"").error().code, AuthErrc::MissingParam);
  // "realm=" alone is a token68 (RFC 7235 §2.1), so it is not a challenge with params.
  EXPECT_EQ(parse_challenge("Digest realm=").error().code, AuthErrc::MissingParam);
}

TEST(AuthCredentials, RequiresFieldsAndValidNc) {
  const std::string base = "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:r\", response=\"00\"";
  ASSERT_TRUE(parse_credentials(base).has_value());
  EXPECT_EQ(parse_credentials("Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:r\"").error().code,
            AuthErrc::MissingParam);
  EXPECT_EQ(parse_credentials(base + ", qop=auth, nc=00000001").error().code,
            AuthErrc::BadParam);  // no cnonce
  EXPECT_EQ(parse_credentials(base + ", qop=auth, cnonce=\"c\", nc=1").error().code, AuthErrc::BadParam);
  EXPECT_EQ(parse_credentials(base + ", qop=auth, cnonce=\"c\", nc=0000000g").error().code,
            AuthErrc::BadParam);
  const auto ok = parse_credentials(base + ", qop=auth, cnonce=\"c\", nc=0000001A");
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->nonce_count(), 26u);
  const auto again = parse_credentials(write_credentials(*ok));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->nc, "0000001A");
  EXPECT_EQ(again->cnonce, "c");
  EXPECT_EQ(again->uri, "sip:r");
}

}  // namespace
}  // namespace rtcgate::sip::auth
