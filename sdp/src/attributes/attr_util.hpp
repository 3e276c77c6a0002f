// Shared helpers of the typed attribute parsers (internal header).
#pragma once

#include <expected>
#include <string>

#include <rtcgate/sdp/parse_error.hpp>

namespace rtcgate::sdp::detail {

inline std::unexpected<ParseError> bad_attribute(std::string reason) {
  return std::unexpected(ParseError{ParseErrc::BadAttribute, 0, std::move(reason)});
}

}  // namespace rtcgate::sdp::detail
