#include <rtcgate/sdp/attributes/rtpmap.hpp>

#include <array>

#include "../text.hpp"
#include "attr_util.hpp"

namespace rtcgate::sdp {

using detail::bad_attribute;
using detail::parse_uint;

std::expected<Rtpmap, ParseError> parse_rtpmap(std::string_view value) {
  const auto f = detail::split_spaces(value);
  if (f.size() != 2) return bad_attribute("rtpmap needs '<pt> <name>/<rate>'");
  auto pt = parse_uint<std::uint8_t>(f[0], 127);
  if (!pt) return bad_attribute("rtpmap payload type is not 0-127");
  const auto parts = detail::split(f[1], '/');
  if (parts.size() < 2 || parts.size() > 3 || !detail::is_token(parts[0])) {
    return bad_attribute("rtpmap encoding must be name/rate[/params]");
  }
  auto rate = parse_uint<std::uint32_t>(parts[1]);
  if (!rate || *rate == 0) return bad_attribute("rtpmap clock rate is not a positive number");
  Rtpmap r{*pt, std::string(parts[0]), *rate, std::nullopt};
  if (parts.size() == 3) {
    auto ch = parse_uint<std::uint16_t>(parts[2]);
    if (!ch || *ch == 0) return bad_attribute("rtpmap channel count is not a positive number");
    r.channels = *ch;
  }
  return r;
}

std::string to_value(const Rtpmap& r) {
  std::string out;
  detail::append_uint(out, r.payload_type);
  out.push_back(' ');
  out.append(r.encoding);
  out.push_back('/');
  detail::append_uint(out, r.clock_rate);
  if (r.channels) {
    out.push_back('/');
    detail::append_uint(out, *r.channels);
  }
  return out;
}

std::optional<Rtpmap> static_rtpmap(std::uint8_t pt) {
  struct Static {
    std::uint8_t pt;
    const char* name;
    std::uint32_t rate;
  };
  // RFC 3551 §6, Table 4 (audio encodings with a fixed payload type).
  static constexpr std::array<Static, 14> kStatic{{{0, "PCMU", 8000},
                                                   {3, "GSM", 8000},
                                                   {4, "G723", 8000},
                                                   {5, "DVI4", 8000},
                                                   {6, "DVI4", 16000},
                                                   {7, "LPC", 8000},
                                                   {8, "PCMA", 8000},
                                                   {9, "G722", 8000},
                                                   {10, "L16", 44100},
                                                   {12, "QCELP", 8000},
                                                   {13, "CN", 8000},
                                                   {15, "G728", 8000},
                                                   {16, "DVI4", 11025},
                                                   {18, "G729", 8000}}};
  for (const auto& s : kStatic) {
    if (s.pt == pt) return Rtpmap{pt, s.name, s.rate, std::nullopt};
  }
  if (pt == 11) return Rtpmap{11, "L16", 44100, 1};
  return std::nullopt;
}

}  // namespace rtcgate::sdp
