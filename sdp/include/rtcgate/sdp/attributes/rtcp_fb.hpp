// a=rtcp-fb — RFC 4585 §4.2: `<pt or *> <type> [<parameters>]` (e.g. "111 transport-cc",
// "* nack pli", "96 ccm fir"). Value type; parse never throws.
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include <rtcgate/sdp/parse_error.hpp>

namespace rtcgate::sdp {

struct RtcpFb {
  std::string format;      // payload type or "*"
  std::string type;        // ack, nack, trr-int, ccm, goog-remb, transport-cc, ...
  std::string parameters;  // the rest, e.g. "pli"; empty when absent
  bool operator==(const RtcpFb&) const = default;
};

std::expected<RtcpFb, ParseError> parse_rtcp_fb(std::string_view value);
std::string to_value(const RtcpFb& fb);

}  // namespace rtcgate::sdp
