#include <rtcgate/sdp/attributes/ice.hpp>

#include "../text.hpp"
#include "attr_util.hpp"

namespace rtcgate::sdp {

namespace {

bool is_ice_chars(std::string_view s) {
  for (char c : s) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    if (!ok) return false;
  }
  return true;
}

// RFC 8839 §5.4 sets the lengths. Some SIP endpoints use '-', '_' or '=' in credentials; they are
// accepted (visible ASCII) because rejecting them would fail calls the ICE layer handles fine.
std::expected<std::string, ParseError> parse_credential(std::string_view value, std::size_t min,
                                                        const char* what) {
  if (value.size() < min || value.size() > 256) {
    return detail::bad_attribute(std::string(what) + " has a bad length");
  }
  if (!is_ice_chars(value) && !detail::is_token(value)) {
    return detail::bad_attribute(std::string(what) + " has characters outside ice-char");
  }
  return std::string(value);
}

}  // namespace

std::expected<std::string, ParseError> parse_ice_ufrag(std::string_view value) {
  return parse_credential(value, 4, "ice-ufrag");
}

std::expected<std::string, ParseError> parse_ice_pwd(std::string_view value) {
  return parse_credential(value, 22, "ice-pwd");
}

std::expected<std::vector<std::string>, ParseError> parse_ice_options(std::string_view value) {
  std::vector<std::string> out;
  for (auto tag : detail::split_spaces(value)) {
    if (!is_ice_chars(tag) && !detail::is_token(tag)) return detail::bad_attribute("bad ice-options tag");
    out.emplace_back(tag);
  }
  if (out.empty()) return detail::bad_attribute("ice-options needs at least one tag");
  return out;
}

std::expected<std::optional<IceCredentials>, ParseError> ice_credentials(const SessionDescription& d,
                                                                         const MediaDescription& m) {
  auto ufrag = m.attributes.value("ice-ufrag");
  if (!ufrag) ufrag = d.attributes.value("ice-ufrag");
  auto pwd = m.attributes.value("ice-pwd");
  if (!pwd) pwd = d.attributes.value("ice-pwd");
  if (!ufrag || !pwd) return std::optional<IceCredentials>{};
  auto u = parse_ice_ufrag(*ufrag);
  if (!u) return std::unexpected(u.error());
  auto p = parse_ice_pwd(*pwd);
  if (!p) return std::unexpected(p.error());
  return std::optional<IceCredentials>(IceCredentials{std::move(*u), std::move(*p)});
}

std::vector<std::string> ice_options(const SessionDescription& d, const MediaDescription& m) {
  auto value = m.attributes.value("ice-options");
  if (!value) value = d.attributes.value("ice-options");
  if (!value) return {};
  auto parsed = parse_ice_options(*value);
  return parsed ? std::move(*parsed) : std::vector<std::string>{};
}

bool ice_lite(const SessionDescription& d) {
  return d.attributes.has("ice-lite");
}

}  // namespace rtcgate::sdp
