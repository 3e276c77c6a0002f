#include "rtcgate/media/dtls/dtls_error.hpp"

#include <array>

#include <openssl/err.h>

namespace rtcgate::media {

std::string_view to_string(DtlsErrorCode code) noexcept {
  switch (code) {
    case DtlsErrorCode::CertificateGeneration:
      return "certificate_generation";
    case DtlsErrorCode::CertificateLoad:
      return "certificate_load";
    case DtlsErrorCode::BadFingerprint:
      return "bad_fingerprint";
    case DtlsErrorCode::ContextSetup:
      return "context_setup";
    case DtlsErrorCode::SessionSetup:
      return "session_setup";
    case DtlsErrorCode::HandshakeFailed:
      return "handshake_failed";
    case DtlsErrorCode::FingerprintMismatch:
      return "fingerprint_mismatch";
    case DtlsErrorCode::NoPeerCertificate:
      return "no_peer_certificate";
    case DtlsErrorCode::NoSrtpProfile:
      return "no_srtp_profile";
    case DtlsErrorCode::KeyExport:
      return "key_export";
    case DtlsErrorCode::Timeout:
      return "timeout";
  }
  return "unknown";
}

std::string describe(const DtlsError& error) {
  std::string text(to_string(error.code));
  if (error.openssl_error != 0) {
    std::array<char, 256> buffer{};
    ERR_error_string_n(error.openssl_error, buffer.data(), buffer.size());
    text += ": ";
    text += buffer.data();
  }
  return text;
}

}  // namespace rtcgate::media
