// a=ssrc and a=ssrc-group — RFC 5576 §4.1/§4.2: `<ssrc-id> <attribute>[:<value>]` and
// `<semantics> *(SP <ssrc-id>)`. SSRCs are 32-bit unsigned.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rtcgate/sdp/parse_error.hpp>

namespace rtcgate::sdp {

struct SsrcAttribute {
  std::uint32_t ssrc = 0;
  std::string attribute;  // "cname", "msid", "label", ...
  std::optional<std::string> value;
  bool operator==(const SsrcAttribute&) const = default;
};

struct SsrcGroup {
  std::string semantics;  // "FID", "SIM", "FEC-FR"
  std::vector<std::uint32_t> ssrcs;
  bool operator==(const SsrcGroup&) const = default;
};

std::expected<SsrcAttribute, ParseError> parse_ssrc(std::string_view value);
std::string to_value(const SsrcAttribute& s);
std::expected<SsrcGroup, ParseError> parse_ssrc_group(std::string_view value);
std::string to_value(const SsrcGroup& g);

}  // namespace rtcgate::sdp
