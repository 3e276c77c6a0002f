// a=extmap — RFC 8285 §8: `<id>[/<direction>] <URI> [<extension attributes>]`. Ids 1-14 use the
// one-byte header form, 15 is reserved, up to 255 need the two-byte form. a=extmap-allow-mixed
// (RFC 8285 §6) is a property attribute, session or media level; see extmap_allow_mixed().
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include <rtcgate/sdp/attributes/direction.hpp>
#include <rtcgate/sdp/parse_error.hpp>
#include <rtcgate/sdp/session_description.hpp>

namespace rtcgate::sdp {

struct Extmap {
  std::uint16_t id = 0;  // 1-14 or 16-255
  std::optional<Direction> direction;
  std::string uri;
  std::string attributes;  // empty when absent
  bool operator==(const Extmap&) const = default;
};

std::expected<Extmap, ParseError> parse_extmap(std::string_view value);
std::string to_value(const Extmap& e);
/// extmap-allow-mixed at media level or, failing that, session level.
bool extmap_allow_mixed(const SessionDescription& d, const MediaDescription& m);

}  // namespace rtcgate::sdp
