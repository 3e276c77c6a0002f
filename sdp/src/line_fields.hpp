// Field parsers for the structured SDP lines (o=, c=, b=, t=, m=) (internal header).
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include <rtcgate/sdp/parse_error.hpp>
#include <rtcgate/sdp/session_description.hpp>

namespace rtcgate::sdp::detail {

// Each returns the parsed value or a ParseError with line 0 (the caller sets the line).
std::expected<Origin, ParseError> parse_origin(std::string_view v);
std::expected<Connection, ParseError> parse_connection(std::string_view v);
std::expected<Bandwidth, ParseError> parse_bandwidth(std::string_view v);
std::expected<Timing, ParseError> parse_timing(std::string_view v);
std::expected<MediaDescription, ParseError> parse_media_line(std::string_view v);
std::expected<Attribute, ParseError> parse_attribute(std::string_view v);

}  // namespace rtcgate::sdp::detail
