// NameAddr: the value of From, To, Contact, Route, Record-Route, Reply-To, P-Asserted-Identity,
// Path, Service-Route, Refer-To... (RFC 3261 §20.10 / §25.1: ( name-addr / addr-spec ) *( ;param )).
//
// `display_name` is stored without quotes and with `\` escapes resolved; writing quotes it. The
// parameters after the URI (tag, expires, q, +sip.instance, reg-id, ...) are header parameters, not
// URI parameters: in the addr-spec form (no angle brackets) RFC 3261 §20 says every ';' after the
// URI starts a header parameter, and the parser follows that. `angle_brackets` records the form so
// writing reproduces it (writing always uses brackets when the URI needs them).
// Value type; no thread affinity.
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include "rtcgate/sip/param.hpp"
#include "rtcgate/sip/parse_error.hpp"
#include "rtcgate/sip/uri.hpp"

namespace rtcgate::sip {

struct NameAddr {
  std::string display_name;
  Uri uri;
  Params params;
  bool angle_brackets = true;

  std::optional<std::string_view> param(std::string_view name) const { return param_value(params, name); }
  // The tag parameter (RFC 3261 §19.3), "" when absent.
  std::string_view tag() const { return param("tag").value_or(std::string_view{}); }
  void set_tag(std::string_view tag) { set_param(params, "tag", tag); }

  std::string to_string() const;
  void append_to(std::string& out) const;
};

// Parses one name-addr or addr-spec with its parameters (a single list element, already split).
std::expected<NameAddr, ParseError> parse_name_addr(std::string_view text);

}  // namespace rtcgate::sip
