// Private helpers for the OpenSSL boundary of media/dtls.
#pragma once

#include <openssl/err.h>

namespace rtcgate::media::detail {

// Empties this thread's OpenSSL error queue and returns its earliest code (0 if it was empty).
inline unsigned long drain_openssl_errors() noexcept {
  const unsigned long first = ERR_get_error();
  while (ERR_get_error() != 0) {
  }
  return first;
}

}  // namespace rtcgate::media::detail
