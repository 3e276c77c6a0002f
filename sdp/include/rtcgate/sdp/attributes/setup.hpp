// a=setup — RFC 4145 §4 (used by DTLS-SRTP, RFC 5763 §5): who initiates the DTLS handshake.
// a=tls-id — RFC 8842 §5: an opaque id that changes when the DTLS association must restart.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include <rtcgate/sdp/parse_error.hpp>

namespace rtcgate::sdp {

enum class Setup : std::uint8_t { Active, Passive, ActPass, HoldConn };

std::string_view to_string(Setup s);
std::expected<Setup, ParseError> parse_setup(std::string_view value);
/// RFC 4145 §4.1 / RFC 5763 §5: the answer to an offered role (actpass → active, active →
/// passive, passive → active); nullopt for holdconn.
std::optional<Setup> answer_setup(Setup offered);

/// tls-id = 20*255(ALPHA / DIGIT / "+" / "/" / "-" / "_") (RFC 8842 §5).
std::expected<std::string, ParseError> parse_tls_id(std::string_view value);

}  // namespace rtcgate::sdp
