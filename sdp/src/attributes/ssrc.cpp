#include <rtcgate/sdp/attributes/ssrc.hpp>

#include "../text.hpp"
#include "attr_util.hpp"

namespace rtcgate::sdp {

std::expected<SsrcAttribute, ParseError> parse_ssrc(std::string_view value) {
  const auto space = value.find(' ');
  if (space == std::string_view::npos) return detail::bad_attribute("ssrc needs '<ssrc> <attribute>'");
  auto id = detail::parse_uint<std::uint32_t>(value.substr(0, space));
  if (!id) return detail::bad_attribute("ssrc is not a 32-bit number");
  const auto rest = value.substr(space + 1);
  const auto colon = rest.find(':');
  const auto name = rest.substr(0, colon);
  if (!detail::is_token(name)) return detail::bad_attribute("bad ssrc attribute name");
  SsrcAttribute s{*id, std::string(name), std::nullopt};
  if (colon != std::string_view::npos) s.value = std::string(rest.substr(colon + 1));
  return s;
}

std::string to_value(const SsrcAttribute& s) {
  std::string out;
  detail::append_uint(out, s.ssrc);
  out.push_back(' ');
  out.append(s.attribute);
  if (s.value) out += ':' + *s.value;
  return out;
}

std::expected<SsrcGroup, ParseError> parse_ssrc_group(std::string_view value) {
  const auto f = detail::split_spaces(value);
  if (f.size() < 2 || !detail::is_token(f[0]))
    return detail::bad_attribute("ssrc-group needs semantics and ssrcs");
  SsrcGroup g{std::string(f[0]), {}};
  for (std::size_t i = 1; i < f.size(); ++i) {
    auto id = detail::parse_uint<std::uint32_t>(f[i]);
    if (!id) return detail::bad_attribute("ssrc-group member is not a 32-bit number");
    g.ssrcs.push_back(*id);
  }
  return g;
}

std::string to_value(const SsrcGroup& g) {
  std::string out = g.semantics;
  for (auto id : g.ssrcs) {
    out.push_back(' ');
    detail::append_uint(out, id);
  }
  return out;
}

}  // namespace rtcgate::sdp
