// DtlsContext: one OpenSSL SSL_CTX configured for DTLS-SRTP (RFC 5764), owned by one worker.
//
// LIMITS.md §3: a shared SSL_CTX contends on locks in OpenSSL 3.0, so each media worker creates its
// own from the process Certificate. Configuration: DTLS 1.2 only, our certificate and key, ECDHE
// AEAD cipher suites, groups X25519:P-256:P-384 (P-256 must stay listed with ECDSA certificates), no
// tickets or session cache, peer certificate required (self-signed accepted: the SDP fingerprint
// authenticates it), and use_srtp with the given profiles in preference order (GCM first). As DTLS
// server our order selects the profile; as client the peer's does.
// Thread affinity: the owning worker. Must outlive every DtlsEndpoint made from it.
#pragma once

#include <expected>
#include <memory>
#include <vector>

#include "rtcgate/media/dtls/certificate.hpp"
#include "rtcgate/media/dtls/dtls_error.hpp"
#include "rtcgate/media/srtp/srtp_keys.hpp"

struct ssl_ctx_st;

namespace rtcgate::media {

struct DtlsContextOptions {
  std::vector<SrtpProfile> srtp_profiles{kSrtpProfilesByPreference.begin(), kSrtpProfilesByPreference.end()};
};

class DtlsContext {
 public:
  [[nodiscard]] static std::expected<std::unique_ptr<DtlsContext>, DtlsError> create(
      const Certificate& certificate, const DtlsContextOptions& options = {});
  ~DtlsContext();
  DtlsContext(const DtlsContext&) = delete;
  DtlsContext& operator=(const DtlsContext&) = delete;

  [[nodiscard]] ssl_ctx_st* native() const noexcept { return context_; }
  [[nodiscard]] const Certificate& certificate() const noexcept { return certificate_; }

 private:
  DtlsContext(ssl_ctx_st* context, Certificate certificate) noexcept
      : context_(context), certificate_(std::move(certificate)) {}
  ssl_ctx_st* context_;
  Certificate certificate_;
};

}  // namespace rtcgate::media
