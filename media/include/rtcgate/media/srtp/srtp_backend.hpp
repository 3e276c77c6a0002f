// The crypto library under the linked libsrtp2: Debian's package runs on NSS, the project's own
// build of the same source package on OpenSSL (scripts/libsrtp2-openssl). The difference is large
// (AES-CM about 5x, GCM about 2x per packet, and NSS allocates per packet), so the gateway reports
// which one it runs on, and a test fails if the build did not get the one it was configured for.
//
// libsrtp2 2.5.0 installs no crypto-kernel header to ask this directly, but each cipher and auth
// implementation registers a debug module whose name carries its backend ("aes icm ossl" and
// "hmac sha-1 openssl", "aes icm nss" and "hmac sha-1 nss", plain "aes icm" and "hmac sha-1" for the
// built-in one); srtp_list_debug_modules() reports those names through the log handler.
#pragma once

#include <cstdint>
#include <string_view>

namespace rtcgate::media {

enum class SrtpCryptoBackend : std::uint8_t {
  OpenSsl,
  Nss,
  MbedTls,
  Builtin,  // libsrtp2's own AES and SHA-1: no GCM, slower than either library
  Unknown,  // libsrtp2 did not start, or its module names are not the ones above
};

// "openssl", "nss", "mbedtls", "builtin", "unknown".
[[nodiscard]] std::string_view to_string(SrtpCryptoBackend backend) noexcept;

// libsrtp2's own version string, e.g. "libsrtp2 2.5.0".
[[nodiscard]] std::string_view srtp_library_version() noexcept;

// Starts libsrtp2 if needed (srtp_library_initialise) and returns the backend it found then.
[[nodiscard]] SrtpCryptoBackend srtp_crypto_backend() noexcept;

// The backend named by the AES-ICM and HMAC-SHA1 debug module names, as libsrtp2 reports them.
[[nodiscard]] SrtpCryptoBackend classify_srtp_modules(std::string_view aes_icm,
                                                      std::string_view hmac) noexcept;

}  // namespace rtcgate::media
