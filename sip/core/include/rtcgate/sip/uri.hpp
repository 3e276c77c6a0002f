// Uri: a SIP, SIPS or tel URI, or any other absoluteURI kept opaque (RFC 3261 §19.1, §25.1;
// RFC 3966 for tel; RFC 5118 for IPv6 references).
//
// Fields hold the text as received (user, password and parameters keep their %-escapes) so writing
// a parsed URI reproduces it; comparison (operator==) follows RFC 3261 §19.1.4: scheme and host
// case-insensitive, user/password case-sensitive after unescaping, parameters compared by the
// rules for user/ttl/method/maddr/transport and "present on both sides", headers all compared.
// `host` keeps an IPv6 reference with its brackets ("[2001:db8::1]"); host_without_brackets()
// strips them. For a tel URI, `user` holds the telephone-subscriber number and `params` its
// parameters; for other schemes only `scheme` and `opaque` (everything after ':') are set.
// Value type; no thread affinity.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include "rtcgate/sip/param.hpp"
#include "rtcgate/sip/parse_error.hpp"

namespace rtcgate::sip {

enum class UriScheme : std::uint8_t { Sip, Sips, Tel, Other };

struct Uri {
  UriScheme scheme = UriScheme::Sip;
  std::string scheme_name =
      "sip";         // as written ("sip", "SIP", "tel", "urn", ...); compared case-insensitively
  std::string user;  // may be empty; escaped form
  std::optional<std::string> password;
  std::string host;  // hostname, IPv4 address or "[IPv6]"; empty only for tel/other
  std::optional<std::uint16_t> port;
  Params params;       // ;name[=value] in order
  Params headers;      // ?name=value&... in order (value always present)
  std::string opaque;  // UriScheme::Other: everything after "scheme:"

  bool is_sip() const { return scheme == UriScheme::Sip || scheme == UriScheme::Sips; }
  // The host without IPv6 brackets.
  std::string_view host_without_brackets() const;
  // Shorthands for the parameters a stack uses (nullopt when absent).
  std::optional<std::string_view> param(std::string_view name) const { return param_value(params, name); }
  bool has_lr() const { return find_param(params, "lr") != nullptr; }
  std::optional<std::string_view> transport() const { return param("transport"); }
  std::optional<std::string_view> maddr() const { return param("maddr"); }

  // The URI as text (addr-spec form, never with angle brackets).
  std::string to_string() const;
  void append_to(std::string& out) const;
};

// RFC 3261 §19.1.4 equivalence (see the file comment).
bool operator==(const Uri& a, const Uri& b);

// Parses one URI (no surrounding whitespace or angle brackets).
std::expected<Uri, ParseError> parse_uri(std::string_view text);

// Resolves %HH escapes; invalid escapes are kept verbatim.
std::string unescape(std::string_view text);

}  // namespace rtcgate::sip
