// SDES (RFC 4568) a=crypto and the base64 codec it needs, checked against RFC vectors.
#include <gtest/gtest.h>

#include <rtcgate/sdp/attributes/crypto.hpp>
#include <rtcgate/sdp/base64.hpp>

namespace rtcgate::sdp {
namespace {

std::vector<std::uint8_t> bytes(std::string_view s) {
  return {s.begin(), s.end()};
}

// RFC 4648 §10 test vectors.
TEST(Base64, Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base64_encode(bytes(plain)), encoded);
    auto decoded = base64_decode(encoded);
    ASSERT_TRUE(decoded) << encoded;
    EXPECT_EQ(*decoded, bytes(plain));
  }
}

TEST(Base64, UnpaddedAcceptedGarbageRejected) {
  EXPECT_EQ(base64_decode("Zg").value(), bytes("f"));
  EXPECT_EQ(base64_decode("Zm8").value(), bytes("fo"));
  for (auto bad : {"Z", "Zm9v!", "Zm 9v", "Zh==", "Zg=", "Zm9v====", "-_8="}) {
    EXPECT_FALSE(base64_decode(bad)) << bad;
  }
}

// RFC 4568 §9.1 example attribute.
TEST(Crypto, Rfc4568Example) {
  const std::string v = "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:4";
  auto c = parse_crypto(v);
  ASSERT_TRUE(c) << c.error().reason;
  EXPECT_EQ(c->tag, 1u);
  EXPECT_EQ(c->suite, "AES_CM_128_HMAC_SHA1_80");
  ASSERT_EQ(c->keys.size(), 1u);
  EXPECT_EQ(c->keys[0].key_salt.size(), 30u);
  EXPECT_EQ(c->keys[0].lifetime, "2^20");
  EXPECT_EQ(c->keys[0].mki, 1u);
  EXPECT_EQ(c->keys[0].mki_length, 4);
  EXPECT_EQ(to_value(*c), v);
}

TEST(Crypto, SessionParamsMultipleKeysAndOtherSuites) {
  const std::string v =
      "2 AES_CM_128_HMAC_SHA1_32 inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj|2^20|1:32;"
      "inline:QUJjZGVmMTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5|2^20|2:32 UNENCRYPTED_SRTCP KDR=24";
  auto c = parse_crypto(v);
  ASSERT_TRUE(c) << c.error().reason;
  EXPECT_EQ(c->keys.size(), 2u);
  EXPECT_EQ(c->session_params, (std::vector<std::string>{"UNENCRYPTED_SRTCP", "KDR=24"}));
  EXPECT_EQ(to_value(*c), v);

  Crypto gcm{3, "AEAD_AES_128_GCM", {CryptoKey{std::vector<std::uint8_t>(28, 7), {}, {}, {}}}, {}};
  auto back = parse_crypto(to_value(gcm));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, gcm);
  Crypto aes256{4, "AES_256_CM_HMAC_SHA1_80", {CryptoKey{std::vector<std::uint8_t>(46, 9), {}, {}, {}}}, {}};
  EXPECT_TRUE(parse_crypto(to_value(aes256)));
  EXPECT_EQ(crypto_key_salt_size("AES_CM_128_HMAC_SHA1_80"), 30u);
  EXPECT_FALSE(crypto_key_salt_size("NOT_A_SUITE"));
}

TEST(Crypto, RejectsMalformed) {
  for (const char* bad : {
           "",
           "1 AES_CM_128_HMAC_SHA1_80",
           "x AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR",
           "1 AES_CM_128_HMAC_SHA1_80 uri:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR",
           "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0m",          // 24 bytes, not 30
           "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVB!",  // not base64
           "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^x",
           "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|1:0",
           "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|1:4|2^20",
           "1234567890 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR",
       }) {
    auto c = parse_crypto(bad);
    EXPECT_FALSE(c) << bad;
  }
  // Unknown suites keep any key length: policy declines them later.
  EXPECT_TRUE(parse_crypto("1 SOME_FUTURE_SUITE inline:Zm9vYmFy"));
}

}  // namespace
}  // namespace rtcgate::sdp
