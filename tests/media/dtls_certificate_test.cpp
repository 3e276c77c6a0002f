#include <gtest/gtest.h>

#include <cctype>
#include <cstring>
#include <string>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "rtcgate/media/dtls/certificate.hpp"
#include "rtcgate/media/dtls/fingerprint.hpp"

namespace rtcgate::media {
namespace {

std::string to_pem(int (*write)(BIO*, void*), void* object) {
  BIO* bio = BIO_new(BIO_s_mem());
  write(bio, object);
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(length));
  BIO_free(bio);
  return pem;
}

int write_cert(BIO* bio, void* x509) {
  return PEM_write_bio_X509(bio, static_cast<X509*>(x509));
}
int write_key(BIO* bio, void* key) {
  return PEM_write_bio_PrivateKey(bio, static_cast<EVP_PKEY*>(key), nullptr, nullptr, 0, nullptr, nullptr);
}

TEST(Certificate, GeneratesEcdsaP256WithSdpFingerprint) {
  auto certificate = Certificate::generate();
  ASSERT_TRUE(certificate.has_value()) << describe(certificate.error());
  EXPECT_EQ(EVP_PKEY_get_base_id(certificate->private_key()), EVP_PKEY_EC);
  EXPECT_EQ(EVP_PKEY_get_bits(certificate->private_key()), 256);
  const std::string value = certificate->fingerprint().to_sdp_value();
  ASSERT_EQ(value.size(), 32U * 3 - 1);
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (i % 3 == 2) {
      EXPECT_EQ(value[i], ':');
    } else {
      EXPECT_TRUE(std::isxdigit(static_cast<unsigned char>(value[i])) && !std::islower(value[i])) << value;
    }
  }
  EXPECT_EQ(certificate->fingerprint().to_sdp(), "sha-256 " + value);
  auto other = Certificate::generate();
  ASSERT_TRUE(other.has_value());
  EXPECT_FALSE(other->fingerprint() == certificate->fingerprint());
}

TEST(Certificate, FingerprintsAgreeWithOpenSslForEveryHash) {
  auto certificate = Certificate::generate();
  ASSERT_TRUE(certificate.has_value());
  const std::pair<HashFunction, const EVP_MD*> hashes[] = {{HashFunction::Sha1, EVP_sha1()},
                                                           {HashFunction::Sha224, EVP_sha224()},
                                                           {HashFunction::Sha256, EVP_sha256()},
                                                           {HashFunction::Sha384, EVP_sha384()},
                                                           {HashFunction::Sha512, EVP_sha512()}};
  for (const auto& [hash, md] : hashes) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    ASSERT_EQ(X509_digest(certificate->x509(), md, digest, &length), 1);
    auto fingerprint = certificate->fingerprint(hash);
    ASSERT_TRUE(fingerprint.has_value());
    ASSERT_EQ(fingerprint->digest().size(), length);
    EXPECT_EQ(std::memcmp(fingerprint->digest().data(), digest, length), 0) << to_string(hash);
    EXPECT_EQ(digest_length(hash), length);
    // The SDP form parses back to the same value.
    auto parsed = Fingerprint::parse(to_string(hash), fingerprint->to_sdp_value());
    ASSERT_TRUE(parsed.has_value());
    EXPECT_TRUE(*parsed == *fingerprint);
  }
}

TEST(Certificate, LoadsPemAndRejectsMismatchedKey) {
  auto a = Certificate::generate();
  auto b = Certificate::generate();
  ASSERT_TRUE(a && b);
  const std::string cert_pem = to_pem(write_cert, a->x509());
  const std::string key_pem = to_pem(write_key, a->private_key());
  auto loaded = Certificate::load_pem(cert_pem, key_pem);
  ASSERT_TRUE(loaded.has_value()) << describe(loaded.error());
  EXPECT_TRUE(loaded->fingerprint() == a->fingerprint());
  auto mismatched = Certificate::load_pem(cert_pem, to_pem(write_key, b->private_key()));
  ASSERT_FALSE(mismatched.has_value());
  EXPECT_EQ(mismatched.error().code, DtlsErrorCode::CertificateLoad);
  EXPECT_NE(mismatched.error().openssl_error, 0UL) << "the OpenSSL reason is kept";
  EXPECT_FALSE(Certificate::load_pem("not pem", key_pem).has_value());
}

TEST(Fingerprint, ParsesSdpValues) {
  auto lower = Fingerprint::parse("SHA-1", "0a:1b:2c:3d:4e:5f:60:71:82:93:a4:b5:c6:d7:e8:f9:00:11:22:33");
  ASSERT_TRUE(lower.has_value());
  EXPECT_EQ(lower->hash(), HashFunction::Sha1);
  EXPECT_EQ(lower->to_sdp_value(), "0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9:00:11:22:33");
  EXPECT_EQ(Fingerprint::parse("md5", "00:11").error().code, DtlsErrorCode::BadFingerprint);
  EXPECT_FALSE(Fingerprint::parse("sha-1", "0A:1B").has_value()) << "wrong length";
  EXPECT_FALSE(
      Fingerprint::parse("sha-1", "0A-1B-2C-3D-4E-5F-60-71-82-93-A4-B5-C6-D7-E8-F9-00-11-22-33").has_value());
  EXPECT_FALSE(
      Fingerprint::parse("sha-1", "0G:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9:00:11:22:33").has_value());
  EXPECT_EQ(hash_function_from_name("sha-512"), HashFunction::Sha512);
  EXPECT_FALSE(hash_function_from_name("sha-3").has_value());
}

}  // namespace
}  // namespace rtcgate::media
