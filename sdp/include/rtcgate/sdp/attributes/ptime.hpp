// a=ptime and a=maxptime — RFC 8866 §6.4/§6.5: packet time in milliseconds. Some endpoints write
// fractions ("20.0"); the integer part is taken when the fraction is zero.
#pragma once

#include <cstdint>
#include <expected>
#include <string_view>

#include <rtcgate/sdp/parse_error.hpp>

namespace rtcgate::sdp {

/// Milliseconds, 1..10000.
std::expected<std::uint32_t, ParseError> parse_ptime(std::string_view value);

}  // namespace rtcgate::sdp
