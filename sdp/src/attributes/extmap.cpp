#include <rtcgate/sdp/attributes/extmap.hpp>

#include "../text.hpp"
#include "attr_util.hpp"

namespace rtcgate::sdp {

std::expected<Extmap, ParseError> parse_extmap(std::string_view value) {
  const auto f = detail::split_spaces(value);
  if (f.size() < 2) return detail::bad_attribute("extmap needs '<id> <uri>'");
  const auto id_parts = detail::split(f[0], '/');
  if (id_parts.size() > 2) return detail::bad_attribute("bad extmap id");
  auto id = detail::parse_uint<std::uint16_t>(id_parts[0], 255);
  if (!id || *id == 0 || *id == 15) return detail::bad_attribute("extmap id must be 1-14 or 16-255");
  Extmap e{*id, std::nullopt, std::string(f[1]), {}};
  if (id_parts.size() == 2) {
    e.direction = parse_direction(id_parts[1]);
    if (!e.direction) return detail::bad_attribute("bad extmap direction");
  }
  for (std::size_t i = 2; i < f.size(); ++i) {
    if (i > 2) e.attributes.push_back(' ');
    e.attributes.append(f[i]);
  }
  return e;
}

std::string to_value(const Extmap& e) {
  std::string out;
  detail::append_uint(out, e.id);
  if (e.direction) out += '/' + std::string(to_string(*e.direction));
  out += ' ' + e.uri;
  if (!e.attributes.empty()) out += ' ' + e.attributes;
  return out;
}

bool extmap_allow_mixed(const SessionDescription& d, const MediaDescription& m) {
  return m.attributes.has("extmap-allow-mixed") || d.attributes.has("extmap-allow-mixed");
}

}  // namespace rtcgate::sdp
