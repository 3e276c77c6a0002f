// a=msid — RFC 8830 §2: `<stream id> [<track id>]` (stream id "-" means no stream).
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include <rtcgate/sdp/parse_error.hpp>

namespace rtcgate::sdp {

struct Msid {
  std::string stream_id;
  std::optional<std::string> track_id;
  bool operator==(const Msid&) const = default;
};

std::expected<Msid, ParseError> parse_msid(std::string_view value);
std::string to_value(const Msid& m);

}  // namespace rtcgate::sdp
