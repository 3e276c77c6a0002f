// SDES key material (RFC 4568 §6.1): the `inline:` key-params of an `a=crypto` line, carrying
// base64(master key || master salt), optionally followed by `|lifetime` and `|MKI:length`.
//
// For a legacy leg that negotiates SRTP in SDP. Lifetimes are accepted and ignored (libsrtp2 enforces
// its own key limits); an MKI is rejected as Unsupported because rtcgate sends and expects no MKI.
// Control plane only (formatting allocates). No thread affinity.
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include "rtcgate/media/srtp/srtp_keys.hpp"

namespace rtcgate::media {

// "inline:<base64 of key||salt>"
[[nodiscard]] std::string format_sdes_inline(const SrtpMasterKey& key);

// Parses one key-params value ("inline:...[|2^31][|1:4]") for the given crypto suite.
[[nodiscard]] std::expected<SrtpMasterKey, SrtpKeyError> parse_sdes_inline(
    SrtpProfile profile, std::string_view key_params) noexcept;

}  // namespace rtcgate::media
