#include "rtcgate/media/dtls/certificate.hpp"

#include <cstdint>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include "dtls/openssl_util.hpp"

namespace rtcgate::media {

namespace {

constexpr long kOneDay = 24L * 60 * 60;
constexpr long kValidity = 365 * kOneDay;

std::unexpected<DtlsError> fail(DtlsErrorCode code) {
  return std::unexpected(DtlsError{code, detail::drain_openssl_errors()});
}

std::shared_ptr<x509_st> share(X509* x509) {
  return {x509, X509_free};
}
std::shared_ptr<evp_pkey_st> share(EVP_PKEY* key) {
  return {key, EVP_PKEY_free};
}

struct BioFree {
  void operator()(BIO* bio) const noexcept { BIO_free(bio); }
};

// Fills a v3 self-signed certificate for `key` (RFC 5763 §5: the fingerprint, not the chain, is
// what authenticates it).
bool fill_self_signed(X509* x509, EVP_PKEY* key, std::string_view common_name) {
  std::uint64_t serial = 0;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&serial), sizeof(serial)) != 1) return false;
  serial &= 0x7fffffffffffffffULL;  // positive, 63 bits
  if (X509_set_version(x509, 2) != 1) return false;
  if (ASN1_INTEGER_set_uint64(X509_get_serialNumber(x509), serial) != 1) return false;
  if (X509_gmtime_adj(X509_getm_notBefore(x509), -kOneDay) == nullptr) return false;
  if (X509_gmtime_adj(X509_getm_notAfter(x509), kValidity) == nullptr) return false;
  if (X509_set_pubkey(x509, key) != 1) return false;
  X509_NAME* name = X509_get_subject_name(x509);
  if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(common_name.data()),
                                 static_cast<int>(common_name.size()), -1, 0) != 1) {
    return false;
  }
  if (X509_set_issuer_name(x509, name) != 1) return false;
  return X509_sign(x509, key, EVP_sha256()) > 0;
}

}  // namespace

Certificate::Certificate(std::shared_ptr<x509_st> x509, std::shared_ptr<evp_pkey_st> key) noexcept
    : x509_(std::move(x509)), key_(std::move(key)) {}

std::expected<Certificate, DtlsError> Certificate::finish(std::shared_ptr<x509_st> x509,
                                                          std::shared_ptr<evp_pkey_st> key,
                                                          DtlsErrorCode code) {
  Certificate certificate(std::move(x509), std::move(key));
  const int length = i2d_X509(certificate.x509_.get(), nullptr);
  if (length <= 0) return fail(code);
  certificate.der_.resize(static_cast<std::size_t>(length));
  auto* out = reinterpret_cast<unsigned char*>(certificate.der_.data());
  if (i2d_X509(certificate.x509_.get(), &out) != length) return fail(code);
  auto fingerprint = Fingerprint::of_der(certificate.der_, HashFunction::Sha256);
  if (!fingerprint) return std::unexpected(fingerprint.error());
  certificate.fingerprint_ = *fingerprint;
  return certificate;
}

std::expected<Certificate, DtlsError> Certificate::generate(std::string_view common_name) {
  auto key = share(EVP_EC_gen("P-256"));
  if (!key) return fail(DtlsErrorCode::CertificateGeneration);
  auto x509 = share(X509_new());
  if (!x509 || !fill_self_signed(x509.get(), key.get(), common_name)) {
    return fail(DtlsErrorCode::CertificateGeneration);
  }
  return finish(std::move(x509), std::move(key), DtlsErrorCode::CertificateGeneration);
}

std::expected<Certificate, DtlsError> Certificate::load_pem(std::string_view certificate_pem,
                                                            std::string_view private_key_pem) {
  std::unique_ptr<BIO, BioFree> cert_bio(
      BIO_new_mem_buf(certificate_pem.data(), static_cast<int>(certificate_pem.size())));
  std::unique_ptr<BIO, BioFree> key_bio(
      BIO_new_mem_buf(private_key_pem.data(), static_cast<int>(private_key_pem.size())));
  if (!cert_bio || !key_bio) return fail(DtlsErrorCode::CertificateLoad);
  auto x509 = share(PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr));
  auto key = share(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
  if (!x509 || !key || X509_check_private_key(x509.get(), key.get()) != 1) {
    return fail(DtlsErrorCode::CertificateLoad);
  }
  return finish(std::move(x509), std::move(key), DtlsErrorCode::CertificateLoad);
}

std::expected<Fingerprint, DtlsError> Certificate::fingerprint(HashFunction hash) const noexcept {
  return Fingerprint::of_der(der_, hash);
}

}  // namespace rtcgate::media
