#include <rtcgate/sdp/attributes/setup.hpp>

#include <array>

#include "attr_util.hpp"

namespace rtcgate::sdp {

namespace {
constexpr std::array<std::string_view, 4> kNames = {"active", "passive", "actpass", "holdconn"};
}  // namespace

std::string_view to_string(Setup s) {
  return kNames[static_cast<std::size_t>(s)];
}

std::expected<Setup, ParseError> parse_setup(std::string_view value) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == value) return static_cast<Setup>(i);
  }
  return detail::bad_attribute("setup must be active, passive, actpass or holdconn");
}

std::optional<Setup> answer_setup(Setup offered) {
  switch (offered) {
    case Setup::ActPass:
      return Setup::Active;  // RFC 5763 §5: the answerer SHOULD be active
    case Setup::Active:
      return Setup::Passive;
    case Setup::Passive:
      return Setup::Active;
    case Setup::HoldConn:
      return std::nullopt;
  }
  return std::nullopt;
}

std::expected<std::string, ParseError> parse_tls_id(std::string_view value) {
  if (value.size() < 20 || value.size() > 255)
    return detail::bad_attribute("tls-id must be 20-255 characters");
  for (char c : value) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
                    c == '/' || c == '-' || c == '_';
    if (!ok) return detail::bad_attribute("tls-id has a character outside its alphabet");
  }
  return std::string(value);
}

}  // namespace rtcgate::sdp
