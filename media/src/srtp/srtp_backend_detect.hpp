// Internal to the srtp part: the backend probe that srtp_library_initialise() runs once, right after
// srtp_init(), while no other thread uses libsrtp2 (it swaps the global log handler).
#pragma once

#include "rtcgate/media/srtp/srtp_backend.hpp"

namespace rtcgate::media::detail {

// Lists libsrtp2's debug modules, classifies them and remembers the result for srtp_crypto_backend().
SrtpCryptoBackend detect_srtp_crypto_backend() noexcept;

}  // namespace rtcgate::media::detail
