// MD5 against RFC 1321 §A.5 and SHA-256 against FIPS 180-2 Appendix B (the official vectors).
#include <gtest/gtest.h>

#include <string>

#include "rtcgate/sip/auth/hex.hpp"
#include "rtcgate/sip/auth/md5.hpp"
#include "rtcgate/sip/auth/sha256.hpp"

namespace rtcgate::sip::auth {
namespace {

struct Vector {
  const char* input;
  const char* digest;
};

TEST(AuthMd5, Rfc1321TestSuite) {
  const Vector vectors[] = {
      {"", "d41d8cd98f00b204e9800998ecf8427e"},
      {"a", "0cc175b9c0f1b6a831c399e269772661"},
      {"abc", "900150983cd24fb0d6963f7d28e17f72"},
      {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
      {"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
      {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"},
      {"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
       "57edf4a22be3c955ac49da2e2107b67a"},
  };
  for (const auto& v : vectors)
    EXPECT_EQ(md5_hex(v.input), v.digest) << v.input;
}

TEST(AuthMd5, IncrementalUpdatesMatchOneShot) {
  const std::string text = "12345678901234567890123456789012345678901234567890123456789012345678901234567890";
  for (std::size_t split = 0; split <= text.size(); ++split) {
    Md5 h;
    h.update(std::string_view(text).substr(0, split));
    h.update(std::string_view(text).substr(split));
    EXPECT_EQ(to_hex(h.finish()), "57edf4a22be3c955ac49da2e2107b67a") << split;
  }
}

TEST(AuthSha256, Fips180Vectors) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(AuthSha256, MillionAs) {
  Sha256 h;
  const std::string chunk(1000, 'a');
  for (int i = 0; i < 1000; ++i)
    h.update(chunk);
  EXPECT_EQ(to_hex(h.finish()), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(AuthSha256, PaddingBoundaries) {
  // 55, 56 and 64 bytes straddle the one-block/two-block padding boundary (FIPS 180-4 §5.1.1).
  EXPECT_EQ(sha256_hex(std::string(55, 'a')),
            "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  EXPECT_EQ(sha256_hex(std::string(56, 'a')),
            "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  EXPECT_EQ(sha256_hex(std::string(64, 'a')),
            "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
  Sha256 reused;
  reused.update("abc");
  reused.finish();
  reused.update("abc");
  EXPECT_EQ(to_hex(reused.finish()), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(AuthHex, ConstantTimeCompare) {
  EXPECT_TRUE(equal_constant_time_icase("abcdef0123", "ABCDEF0123"));
  EXPECT_FALSE(equal_constant_time_icase("abcdef0123", "abcdef0124"));
  EXPECT_FALSE(equal_constant_time_icase("abc", "abcd"));
  EXPECT_FALSE(equal_constant_time_icase("@", "`"));  // 0x40 vs 0x60 must not fold together
  EXPECT_TRUE(equal_constant_time_icase("", ""));
}

}  // namespace
}  // namespace rtcgate::sip::auth
