// Certificate: the process's DTLS identity (RFC 5763 §5: self-signed, identified by fingerprint).
//
// generate() makes an ECDSA P-256 key and a self-signed X.509 v3 certificate (SHA-256 signature,
// random 63-bit serial, valid from one day ago for a year); load_pem() reads an operator-supplied
// pair. Both are start-up operations (a few ms). Afterwards the object is immutable; copies share
// the same OpenSSL objects (reference-counted), so every worker's DtlsContext can use it.
// Thread affinity: none after construction (read-only).
#pragma once

#include <cstddef>
#include <expected>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "rtcgate/media/dtls/dtls_error.hpp"
#include "rtcgate/media/dtls/fingerprint.hpp"

struct x509_st;
struct evp_pkey_st;

namespace rtcgate::media {

class Certificate {
 public:
  [[nodiscard]] static std::expected<Certificate, DtlsError> generate(
      std::string_view common_name = "rtcgate");
  [[nodiscard]] static std::expected<Certificate, DtlsError> load_pem(std::string_view certificate_pem,
                                                                      std::string_view private_key_pem);

  // SHA-256 fingerprint, what rtcgate writes into its SDP.
  [[nodiscard]] const Fingerprint& fingerprint() const noexcept { return fingerprint_; }
  [[nodiscard]] std::expected<Fingerprint, DtlsError> fingerprint(HashFunction hash) const noexcept;
  [[nodiscard]] std::span<const std::byte> der() const noexcept { return der_; }

  // Borrowed OpenSSL handles for DtlsContext.
  [[nodiscard]] x509_st* x509() const noexcept { return x509_.get(); }
  [[nodiscard]] evp_pkey_st* private_key() const noexcept { return key_.get(); }

 private:
  Certificate(std::shared_ptr<x509_st> x509, std::shared_ptr<evp_pkey_st> key) noexcept;
  [[nodiscard]] static std::expected<Certificate, DtlsError> finish(std::shared_ptr<x509_st> x509,
                                                                    std::shared_ptr<evp_pkey_st> key,
                                                                    DtlsErrorCode code);

  std::shared_ptr<x509_st> x509_;
  std::shared_ptr<evp_pkey_st> key_;
  std::vector<std::byte> der_;
  Fingerprint fingerprint_;
};

}  // namespace rtcgate::media
