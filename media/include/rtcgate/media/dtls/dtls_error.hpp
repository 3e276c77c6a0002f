// Error codes of the DTLS part (certificates, contexts, handshakes).
//
// OpenSSL reports failures through a per-thread error queue; every wrapper drains that queue at the
// boundary and keeps the earliest code in DtlsError::openssl_error (0 if none), so one failing
// session never leaves stale errors for the next one on the same worker. describe() renders a
// diagnostic text (allocates; not for the packet path; wording not stable).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace rtcgate::media {

enum class DtlsErrorCode : std::uint8_t {
  CertificateGeneration,  // key or X.509 generation failed
  CertificateLoad,        // PEM unreadable, or key does not match the certificate
  BadFingerprint,         // unknown hash function or malformed hex (RFC 8122 §5)
  ContextSetup,           // SSL_CTX configuration failed
  SessionSetup,           // SSL/BIO creation failed
  HandshakeFailed,        // fatal handshake error (alert sent or received)
  FingerprintMismatch,    // peer certificate does not match a=fingerprint (RFC 5763 §5)
  NoPeerCertificate,      // peer sent no certificate
  NoSrtpProfile,          // no common use_srtp profile (RFC 5764 §4.1.2)
  KeyExport,              // SSL_export_keying_material failed
  Timeout,                // too many retransmissions without progress
};

struct DtlsError {
  DtlsErrorCode code;
  unsigned long openssl_error = 0;
};

[[nodiscard]] std::string_view to_string(DtlsErrorCode code) noexcept;
[[nodiscard]] std::string describe(const DtlsError& error);

}  // namespace rtcgate::media
