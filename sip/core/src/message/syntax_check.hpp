// Syntax checks that allocate nothing: the same grammar as parse_uri, parse_name_addr and
// parse_via (they share the code), run without building the value. parse_message uses them to
// validate every Via, From, To, Contact, Route and Record-Route eagerly at no allocation cost; the
// typed accessors build the values on demand. Internal to rtcgate_sip.
#pragma once

#include <expected>
#include <string_view>

#include "rtcgate/sip/parse_error.hpp"
#include "rtcgate/sip/uri.hpp"

namespace rtcgate::sip::detail {

// Parses `text` into `*out`, or only checks it when `out` is null.
std::expected<void, ParseError> scan_uri(std::string_view text, Uri* out);

std::expected<void, ParseError> check_name_addr(std::string_view text);
std::expected<void, ParseError> check_via(std::string_view text);

}  // namespace rtcgate::sip::detail
