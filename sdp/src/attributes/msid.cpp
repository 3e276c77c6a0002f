#include <rtcgate/sdp/attributes/msid.hpp>

#include "../text.hpp"
#include "attr_util.hpp"

namespace rtcgate::sdp {

std::expected<Msid, ParseError> parse_msid(std::string_view value) {
  const auto f = detail::split_spaces(value);
  if (f.empty() || f.size() > 2) return detail::bad_attribute("msid needs '<stream> [<track>]'");
  // msid-id is 1*64 token-char (RFC 8830 §2).
  for (auto id : f) {
    if (id.size() > 64 || !detail::is_token(id))
      return detail::bad_attribute("msid id is not a 1-64 char token");
  }
  Msid m{std::string(f[0]), std::nullopt};
  if (f.size() == 2) m.track_id = std::string(f[1]);
  return m;
}

std::string to_value(const Msid& m) {
  return m.track_id ? m.stream_id + ' ' + *m.track_id : m.stream_id;
}

}  // namespace rtcgate::sdp
