// a=rtcp — RFC 3605 §2.1: `<port> [<nettype> <addrtype> <connection-address>]`, the RTCP port
// (and address) when it is not RTP port + 1. Value type; parse never throws.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include <rtcgate/sdp/parse_error.hpp>
#include <rtcgate/sdp/session_description.hpp>

namespace rtcgate::sdp {

struct RtcpAttribute {
  std::uint16_t port = 0;
  std::optional<Connection> address;
  bool operator==(const RtcpAttribute&) const = default;
};

std::expected<RtcpAttribute, ParseError> parse_rtcp(std::string_view value);
std::string to_value(const RtcpAttribute& r);

}  // namespace rtcgate::sdp
