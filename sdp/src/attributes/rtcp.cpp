#include <rtcgate/sdp/attributes/rtcp.hpp>

#include <rtcgate/sdp/writer.hpp>

#include "../text.hpp"
#include "attr_util.hpp"

namespace rtcgate::sdp {

std::expected<RtcpAttribute, ParseError> parse_rtcp(std::string_view value) {
  const auto f = detail::split_spaces(value);
  if (f.size() != 1 && f.size() != 4) return detail::bad_attribute("rtcp needs '<port> [IN IP4 <addr>]'");
  auto port = detail::parse_uint<std::uint16_t>(f[0]);
  if (!port) return detail::bad_attribute("rtcp port is not 0-65535");
  RtcpAttribute r{*port, std::nullopt};
  if (f.size() == 4) {
    if (f[3].find('/') != std::string_view::npos)
      return detail::bad_attribute("rtcp address must be unicast");
    r.address =
        Connection{std::string(f[1]), std::string(f[2]), std::string(f[3]), std::nullopt, std::nullopt};
  }
  return r;
}

std::string to_value(const RtcpAttribute& r) {
  std::string out;
  detail::append_uint(out, r.port);
  if (r.address) {
    out.push_back(' ');
    write_connection(*r.address, out);
  }
  return out;
}

}  // namespace rtcgate::sdp
