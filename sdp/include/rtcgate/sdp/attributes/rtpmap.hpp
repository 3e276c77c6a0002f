// a=rtpmap — RFC 8866 §6.6: `<payload type> <encoding name>/<clock rate>[/<encoding parameters>]`.
// Value type; parse never throws (ParseError code BadAttribute, line 0). Clock rate in Hz; for
// audio the encoding parameter is the channel count (RFC 8866 §6.6).
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include <rtcgate/sdp/parse_error.hpp>

namespace rtcgate::sdp {

struct Rtpmap {
  std::uint8_t payload_type = 0;  // 0-127 (RFC 3550 §5.1)
  std::string encoding;           // case-insensitive ("opus", "PCMU", "telephone-event")
  std::uint32_t clock_rate = 0;
  std::optional<std::uint16_t> channels;
  bool operator==(const Rtpmap&) const = default;
};

std::expected<Rtpmap, ParseError> parse_rtpmap(std::string_view value);
std::string to_value(const Rtpmap& r);

/// RFC 3551 §6 static payload types a description may use without a=rtpmap (audio only).
std::optional<Rtpmap> static_rtpmap(std::uint8_t payload_type);

}  // namespace rtcgate::sdp
