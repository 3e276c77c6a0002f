// a=group — RFC 5888 §5: `<semantics> *(SP <identification-tag>)`, e.g. "BUNDLE 0 1" (RFC 9143).
// The identification tags are the a=mid values of the grouped m= sections.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include <rtcgate/sdp/parse_error.hpp>

namespace rtcgate::sdp {

struct Group {
  std::string semantics;  // "BUNDLE", "LS", "FID", ...
  std::vector<std::string> mids;
  bool operator==(const Group&) const = default;
};

std::expected<Group, ParseError> parse_group(std::string_view value);
std::string to_value(const Group& g);
/// a=mid — RFC 5888 §4: a token (1*token-char). Returns the value when valid.
std::expected<std::string, ParseError> parse_mid(std::string_view value);

}  // namespace rtcgate::sdp
