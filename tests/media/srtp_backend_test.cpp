// The libsrtp2 linked into the media code runs on the crypto library CMake chose for it
// (cmake/srtp2.cmake passes its choice in as RTCGATE_SRTP2_BACKEND): a build configured for the
// project's OpenSSL build of libsrtp2 that still ended up on Debian's NSS one (a stray -lsrtp2, the
// wrong header path, a shared library found first) fails here instead of silently running SRTP at
// several times the cost.
#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <string>

#include "rtcgate/media/srtp/srtp_backend.hpp"
#include "rtcgate/media/srtp/srtp_keys.hpp"
#include "rtcgate/media/srtp/srtp_session.hpp"

namespace rtcgate::media {
namespace {

TEST(SrtpBackend, LinkedLibraryRunsOnTheConfiguredCryptoLibrary) {
  ASSERT_EQ(srtp_library_initialise(), SrtpStatus::Ok);
  EXPECT_EQ(to_string(srtp_crypto_backend()), RTCGATE_SRTP2_BACKEND) << srtp_library_version();
  EXPECT_EQ(srtp_library_version(), std::string("libsrtp2 ") + RTCGATE_SRTP2_VERSION);
}

// Both backends the build can choose offer every profile the gateway negotiates (the built-in
// crypto has no GCM).
TEST(SrtpBackend, EveryNegotiatedProfileCanBeKeyed) {
  for (SrtpProfile profile : {SrtpProfile::AeadAes128Gcm, SrtpProfile::AeadAes256Gcm,
                              SrtpProfile::AesCm128HmacSha1_80, SrtpProfile::AesCm128HmacSha1_32}) {
    std::array<std::byte, SrtpMasterKey::kMaxLength> material{};
    auto key =
        SrtpMasterKey::from_concatenated(profile, std::span(material).first(srtp_master_length(profile)));
    ASSERT_TRUE(key);
    EXPECT_TRUE(SrtpOutbound::create(*key)) << to_string(profile);
    EXPECT_TRUE(SrtpInbound::create(*key)) << to_string(profile);
  }
}

// The module names of libsrtp2 2.5.0's crypto/cipher/aes_icm*.c and crypto/hash/hmac*.c.
TEST(SrtpBackend, ClassifiesLibsrtpModuleNames) {
  EXPECT_EQ(classify_srtp_modules("aes icm ossl", "hmac sha-1 openssl"), SrtpCryptoBackend::OpenSsl);
  EXPECT_EQ(classify_srtp_modules("aes icm nss", "hmac sha-1 nss"), SrtpCryptoBackend::Nss);
  EXPECT_EQ(classify_srtp_modules("aes icm mbedtls", "hmac sha-1 mbedtls"), SrtpCryptoBackend::MbedTls);
  EXPECT_EQ(classify_srtp_modules("aes icm", "hmac sha-1"), SrtpCryptoBackend::Builtin);
  EXPECT_EQ(classify_srtp_modules("aes icm ossl", "hmac sha-1 nss"), SrtpCryptoBackend::Unknown);
  EXPECT_EQ(classify_srtp_modules("", ""), SrtpCryptoBackend::Unknown);
  EXPECT_EQ(to_string(SrtpCryptoBackend::OpenSsl), "openssl");
  EXPECT_EQ(to_string(SrtpCryptoBackend::Nss), "nss");
}

}  // namespace
}  // namespace rtcgate::media
