#include <rtcgate/sdp/attributes/rtcp_fb.hpp>

#include "../text.hpp"
#include "attr_util.hpp"

namespace rtcgate::sdp {

std::expected<RtcpFb, ParseError> parse_rtcp_fb(std::string_view value) {
  const auto f = detail::split_spaces(value);
  if (f.size() < 2) return detail::bad_attribute("rtcp-fb needs '<pt|*> <type>'");
  if (f[0] != "*" && !detail::parse_uint<std::uint8_t>(f[0], 127)) {
    return detail::bad_attribute("rtcp-fb format must be a payload type or '*'");
  }
  if (!detail::is_token(f[1])) return detail::bad_attribute("bad rtcp-fb type");
  RtcpFb fb{std::string(f[0]), std::string(f[1]), {}};
  for (std::size_t i = 2; i < f.size(); ++i) {
    if (i > 2) fb.parameters.push_back(' ');
    fb.parameters.append(f[i]);
  }
  return fb;
}

std::string to_value(const RtcpFb& fb) {
  std::string out = fb.format + ' ' + fb.type;
  if (!fb.parameters.empty()) out += ' ' + fb.parameters;
  return out;
}

}  // namespace rtcgate::sdp
