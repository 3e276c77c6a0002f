#include <rtcgate/sdp/attributes/group.hpp>

#include "../text.hpp"
#include "attr_util.hpp"

namespace rtcgate::sdp {

std::expected<Group, ParseError> parse_group(std::string_view value) {
  const auto f = detail::split_spaces(value);
  if (f.empty() || !detail::is_token(f[0])) return detail::bad_attribute("group needs a semantics token");
  Group g{std::string(f[0]), {}};
  for (std::size_t i = 1; i < f.size(); ++i) {
    if (!detail::is_token(f[i])) return detail::bad_attribute("bad group identification tag");
    g.mids.emplace_back(f[i]);
  }
  return g;
}

std::string to_value(const Group& g) {
  std::string out = g.semantics;
  for (const auto& mid : g.mids)
    out += ' ' + mid;
  return out;
}

std::expected<std::string, ParseError> parse_mid(std::string_view value) {
  if (!detail::is_token(value)) return detail::bad_attribute("mid must be a token");
  return std::string(value);
}

}  // namespace rtcgate::sdp
