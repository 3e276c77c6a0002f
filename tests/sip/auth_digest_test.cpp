// Digest response computation against the worked examples of RFC 7616 §3.9.1 and RFC 2617 §3.5.
#include <gtest/gtest.h>

#include "rtcgate/sip/auth/digest.hpp"
#include "rtcgate/sip/auth/digest_credentials.hpp"

namespace rtcgate::sip::auth {
namespace {

constexpr std::string_view kRfc7616Nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
constexpr std::string_view kRfc7616Cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

std::string rfc7616_response(Algorithm algorithm) {
  const std::string ha1 = compute_ha1(algorithm, "Mufasa", "http-auth@example.org", "Circle of Life");
  return compute_response({.algorithm = algorithm,
                           .ha1 = ha1,
                           .method = "GET",
                           .uri = "/dir/index.html",
                           .nonce = kRfc7616Nonce,
                           .qop = "auth",
                           .nc = "00000001",
                           .cnonce = kRfc7616Cnonce});
}

TEST(AuthDigest, Rfc7616ExampleSha256) {
  EXPECT_EQ(rfc7616_response(Algorithm::Sha256),
            "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
}

TEST(AuthDigest, Rfc7616ExampleMd5) {
  EXPECT_EQ(rfc7616_response(Algorithm::Md5), "8ca523f5e9506fed4657c9700eebdbec");
}

TEST(AuthDigest, Rfc2617Example) {
  const std::string ha1 = compute_ha1(Algorithm::Md5, "Mufasa", "testrealm@host.com", "Circle Of Life");
  EXPECT_EQ(compute_response({.algorithm = Algorithm::Md5,
                              .ha1 = ha1,
                              .method = "GET",
                              .uri = "/dir/index.html",
                              .nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093",
                              .qop = "auth",
                              .nc = "00000001",
                              .cnonce = "0a4f113b"}),
            "6629fae49393a05397450978507c4ef1");
}

// The RFC 2069 and MD5-sess forms have no published example; these values were computed with an
// independent implementation (Python hashlib) from the RFC 2617 §3.5 inputs.
TEST(AuthDigest, Rfc2069FormWithoutQop) {
  const std::string ha1 = compute_ha1(Algorithm::Md5, "Mufasa", "testrealm@host.com", "Circle Of Life");
  EXPECT_EQ(compute_response({.algorithm = Algorithm::Md5,
                              .ha1 = ha1,
                              .method = "GET",
                              .uri = "/dir/index.html",
                              .nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093",
                              .qop = {},
                              .nc = {},
                              .cnonce = {}}),
            "670fd8c2df070c60b045671b8b24ff02");
}

TEST(AuthDigest, Md5SessFoldsNonceAndCnonceIntoHa1) {
  const std::string ha1 = compute_ha1(Algorithm::Md5Sess, "Mufasa", "testrealm@host.com", "Circle Of Life");
  EXPECT_EQ(compute_response({.algorithm = Algorithm::Md5Sess,
                              .ha1 = ha1,
                              .method = "GET",
                              .uri = "/dir/index.html",
                              .nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093",
                              .qop = "auth",
                              .nc = "00000001",
                              .cnonce = "0a4f113b"}),
            "8e3825c57e897f5a0dec6c2d4e5059d0");
}

TEST(AuthDigest, AlgorithmTokens) {
  EXPECT_EQ(parse_algorithm("md5"), Algorithm::Md5);
  EXPECT_EQ(parse_algorithm("MD5-SESS"), Algorithm::Md5Sess);
  EXPECT_EQ(parse_algorithm("sha-256"), Algorithm::Sha256);
  EXPECT_EQ(parse_algorithm("SHA-256-sess"), Algorithm::Sha256Sess);
  EXPECT_FALSE(parse_algorithm("SHA-512-256"));
  EXPECT_FALSE(parse_algorithm(""));
  for (auto a : {Algorithm::Md5, Algorithm::Md5Sess, Algorithm::Sha256, Algorithm::Sha256Sess}) {
    EXPECT_EQ(parse_algorithm(algorithm_token(a)), a);
  }
  EXPECT_GT(algorithm_preference(Algorithm::Sha256), algorithm_preference(Algorithm::Md5));
  EXPECT_TRUE(is_session(Algorithm::Sha256Sess));
  EXPECT_FALSE(is_session(Algorithm::Sha256));
}

TEST(AuthDigest, Rfc7616ExampleCredentialsParse) {
  // RFC 7616 §3.9.1 Authorization header, folded lines joined.
  const auto creds = parse_credentials(
      "Digest username=\"Mufasa\", realm=\"http-auth@example.org\", uri=\"/dir/index.html\", "
      "algorithm=SHA-256, nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", nc=00000001, "
      "cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\", qop=auth, "
      "response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\", "
      "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"");
  ASSERT_TRUE(creds.has_value());
  EXPECT_EQ(creds->username, "Mufasa");
  EXPECT_EQ(creds->nonce_count(), 1u);
  EXPECT_EQ(creds->algorithm, "SHA-256");
  EXPECT_EQ(creds->opaque, "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS");
  EXPECT_EQ(rfc7616_response(Algorithm::Sha256), creds->response);
}

}  // namespace
}  // namespace rtcgate::sip::auth
