#include "rtcgate/media/dtls/dtls_context.hpp"

#include <string>

#include <openssl/ssl.h>

#include "dtls/openssl_util.hpp"

namespace rtcgate::media {

namespace {

// ECDHE with AEAD first; RSA-authenticated suites stay so that a peer acting as DTLS server with an
// RSA certificate can still be reached (our own certificate is always ECDSA).
constexpr const char* kCipherList =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"
    "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305:"
    "ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA";

// The fingerprint, not a chain, authenticates the peer (RFC 5763 §5); DtlsEndpoint checks it.
int accept_any_chain(int /*preverify_ok*/, X509_STORE_CTX* /*store*/) {
  return 1;
}

}  // namespace

std::expected<std::unique_ptr<DtlsContext>, DtlsError> DtlsContext::create(
    const Certificate& certificate, const DtlsContextOptions& options) {
  SSL_CTX* ctx = SSL_CTX_new(DTLS_method());
  const auto fail = [&ctx]() {
    const unsigned long error = detail::drain_openssl_errors();
    if (ctx != nullptr) SSL_CTX_free(ctx);
    return std::unexpected(DtlsError{DtlsErrorCode::ContextSetup, error});
  };
  if (ctx == nullptr) return fail();
  std::string profiles;
  for (const SrtpProfile profile : options.srtp_profiles) {
    if (!profiles.empty()) profiles += ':';
    profiles += openssl_srtp_profile_name(profile);
  }
  const bool ok = SSL_CTX_set_min_proto_version(ctx, DTLS1_2_VERSION) == 1 &&
                  SSL_CTX_set_max_proto_version(ctx, DTLS1_2_VERSION) == 1 &&
                  SSL_CTX_use_certificate(ctx, certificate.x509()) == 1 &&
                  SSL_CTX_use_PrivateKey(ctx, certificate.private_key()) == 1 &&
                  SSL_CTX_check_private_key(ctx) == 1 && SSL_CTX_set_cipher_list(ctx, kCipherList) == 1 &&
                  SSL_CTX_set1_groups_list(ctx, "X25519:P-256:P-384") == 1 && !profiles.empty() &&
                  // Inverted convention: SSL_CTX_set_tlsext_use_srtp returns 0 on success (LIMITS.md §3).
                  SSL_CTX_set_tlsext_use_srtp(ctx, profiles.c_str()) == 0;
  if (!ok) return fail();
  SSL_CTX_set_options(ctx, SSL_OP_NO_QUERY_MTU | SSL_OP_NO_TICKET | SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_read_ahead(ctx, 1);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, accept_any_chain);
  detail::drain_openssl_errors();
  return std::unique_ptr<DtlsContext>(new DtlsContext(ctx, certificate));
}

DtlsContext::~DtlsContext() {
  SSL_CTX_free(context_);
}

}  // namespace rtcgate::media
