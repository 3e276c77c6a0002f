// URI parsing, writing and comparison (RFC 3261 §19.1, §25.1; RFC 3966; RFC 5118).
#include "rtcgate/sip/uri.hpp"

#include <algorithm>

#include "message/syntax_check.hpp"
#include "message/text.hpp"

namespace rtcgate::sip {

namespace {

using detail::has_class;
using detail::is_hex;

std::unexpected<ParseError> uri_error(std::string reason, std::size_t offset = 0) {
  return std::unexpected(ParseError{ParseErrorCode::BadUri, offset, 0, std::move(reason)});
}

// Every byte is of class `cls` or part of a valid %HH escape.
bool valid_escaped(std::string_view s, std::uint8_t cls) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size() || !is_hex(s[i + 1]) || !is_hex(s[i + 2])) return false;
      i += 2;
    } else if (!has_class(s[i], cls)) {
      return false;
    }
  }
  return true;
}

bool valid_scheme(std::string_view s) {
  if (s.empty() || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return has_class(c, detail::kHost) || c == '+';  // ALPHA / DIGIT / "+" / "-" / "."
  });
}

bool valid_hostname(std::string_view s) {
  if (s.empty() || !detail::all_of_class(s, detail::kHost)) return false;
  // Labels are alphanum with inner hyphens; a trailing dot is allowed (RFC 3261 §25.1 hostname).
  if (s.front() == '.' || s.front() == '-') return false;
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (s[i] == '.' && (s[i - 1] == '.' || s[i - 1] == '-')) return false;
  }
  return s.back() != '-';
}

// Parses ";a=b;c" URI parameters (no LWS allowed inside a URI); only checks them when `out` is null.
bool parse_uri_params(std::string_view s, Params* out) {
  while (!s.empty()) {
    s.remove_prefix(1);  // the ';'
    const std::size_t end = std::min(s.find(';'), s.size());
    const std::string_view item = s.substr(0, end);
    const std::size_t eq = item.find('=');
    const std::uint8_t cls = detail::kUnreserved | detail::kParamExtra;
    const std::string_view name = item.substr(0, eq);
    if (name.empty() || !valid_escaped(name, cls)) return false;
    std::optional<std::string_view> value;
    if (eq != std::string_view::npos) {
      value = item.substr(eq + 1);
      if (value->empty() || !valid_escaped(*value, cls)) return false;
    }
    if (out != nullptr) {
      out->push_back(
          Param{std::string(name), value ? std::optional<std::string>(*value) : std::nullopt, false});
    }
    s.remove_prefix(end);
  }
  return true;
}

// Parses "name=value&..." URI headers (after the '?'); only checks them when `out` is null.
bool parse_uri_headers(std::string_view s, Params* out) {
  const std::uint8_t cls = detail::kUnreserved | detail::kHeaderExtra;
  while (true) {
    const std::size_t end = std::min(s.find('&'), s.size());
    const std::string_view item = s.substr(0, end);
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) return false;
    const std::string_view name = item.substr(0, eq);
    const std::string_view value = item.substr(eq + 1);
    if (name.empty() || !valid_escaped(name, cls) || !valid_escaped(value, cls)) return false;
    if (out != nullptr) out->push_back(Param{std::string(name), std::string(value), false});
    if (end == s.size()) return true;
    s.remove_prefix(end + 1);
  }
}

std::expected<void, ParseError> parse_hostport(std::string_view s, Uri* uri) {
  std::size_t host_end = 0;
  if (!s.empty() && s.front() == '[') {
    host_end = s.find(']');
    if (host_end == std::string_view::npos) return uri_error("unterminated IPv6 reference");
    ++host_end;
    if (!detail::is_ipv6_reference(s.substr(0, host_end))) return uri_error("bad IPv6 reference");
  } else {
    host_end = std::min(s.find(':'), s.size());
    if (!valid_hostname(s.substr(0, host_end))) return uri_error("bad host");
  }
  if (uri != nullptr) uri->host.assign(s.substr(0, host_end));
  if (host_end < s.size()) {
    if (s[host_end] != ':') return uri_error("junk after host");
    const auto port = detail::parse_uint<std::uint16_t>(s.substr(host_end + 1), 65535);
    if (!port) return uri_error("bad port");
    if (uri != nullptr) uri->port = *port;
  }
  return {};
}

std::expected<void, ParseError> parse_sip_uri(std::string_view rest, Uri* uri) {
  // The first '@' ends userinfo: no '@' may appear unescaped in user, password, params or headers.
  const std::size_t at = rest.find('@');
  if (at != std::string_view::npos) {
    const std::string_view userinfo = rest.substr(0, at);
    const std::size_t colon = userinfo.find(':');
    const std::string_view user = userinfo.substr(0, colon);
    if (user.empty() || !valid_escaped(user, detail::kUnreserved | detail::kUserExtra)) {
      return uri_error("bad user part");
    }
    if (uri != nullptr) uri->user.assign(user);
    if (colon != std::string_view::npos) {
      const std::string_view password = userinfo.substr(colon + 1);
      if (!valid_escaped(password, detail::kUnreserved | detail::kPasswordExtra)) {
        return uri_error("bad password");
      }
      if (uri != nullptr) uri->password = std::string(password);
    }
    rest.remove_prefix(at + 1);
  }
  const std::size_t q = rest.find('?');
  const std::string_view before_headers = rest.substr(0, q);
  // An IPv6 reference contains no ';', so the first ';' starts the parameters.
  const std::size_t semi = std::min(before_headers.find(';'), before_headers.size());
  if (auto hp = parse_hostport(before_headers.substr(0, semi), uri); !hp) return std::unexpected(hp.error());
  if (!parse_uri_params(before_headers.substr(semi), uri != nullptr ? &uri->params : nullptr)) {
    return uri_error("bad URI parameter");
  }
  if (q != std::string_view::npos &&
      !parse_uri_headers(rest.substr(q + 1), uri != nullptr ? &uri->headers : nullptr)) {
    return uri_error("bad URI header");
  }
  return {};
}

std::expected<void, ParseError> parse_tel_uri(std::string_view rest, Uri* uri) {
  const std::size_t semi = std::min(rest.find(';'), rest.size());
  const std::string_view number = rest.substr(0, semi);
  if (number.empty() || !valid_escaped(number, detail::kUnreserved | detail::kParamExtra)) {
    return uri_error("bad telephone-subscriber");
  }
  if (uri != nullptr) uri->user.assign(number);
  if (!parse_uri_params(rest.substr(semi), uri != nullptr ? &uri->params : nullptr)) {
    return uri_error("bad tel parameter");
  }
  return {};
}

bool opaque_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u > 0x20 && u < 0x7f && c != '<' && c != '>' && c != '"';
}

// RFC 3261 §19.1.4: parameters compared with case-insensitive names and values, unescaped.
bool param_values_equal(const Param& a, const Param& b) {
  const std::string va = unescape(a.value.value_or(""));
  const std::string vb = unescape(b.value.value_or(""));
  return iequals(va, vb) && a.value.has_value() == b.value.has_value();
}

const Param* find_unescaped(const Params& params, std::string_view name) {
  for (const Param& p : params) {
    if (iequals(unescape(p.name), name)) return &p;
  }
  return nullptr;
}

bool params_equivalent(const Params& a, const Params& b) {
  // user, ttl, method, maddr and transport must match when present on either side.
  for (std::string_view special : {"user", "ttl", "method", "maddr", "transport"}) {
    const Param* pa = find_unescaped(a, special);
    const Param* pb = find_unescaped(b, special);
    if ((pa == nullptr) != (pb == nullptr)) return false;
    if (pa != nullptr && !param_values_equal(*pa, *pb)) return false;
  }
  // Any other parameter present on both sides must match; one-sided ones are ignored.
  for (const Param& pa : a) {
    const Param* pb = find_unescaped(b, unescape(pa.name));
    if (pb != nullptr && !param_values_equal(pa, *pb)) return false;
  }
  return true;
}

bool headers_equivalent(const Params& a, const Params& b) {
  // Every header must be present on both sides with the same (unescaped, case-sensitive) value.
  if (a.size() != b.size()) return false;
  return std::all_of(a.begin(), a.end(), [&b](const Param& ha) {
    const Param* hb = find_unescaped(b, unescape(ha.name));
    return hb != nullptr && unescape(ha.value.value_or("")) == unescape(hb->value.value_or(""));
  });
}

}  // namespace

std::string unescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  auto hex = [](char c) { return detail::is_digit(c) ? c - '0' : detail::to_lower(c) - 'a' + 10; };
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && is_hex(text[i + 1]) && is_hex(text[i + 2])) {
      out.push_back(static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::string_view Uri::host_without_brackets() const {
  std::string_view h = host;
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  return h;
}

void Uri::append_to(std::string& out) const {
  out.append(scheme_name);
  out.push_back(':');
  if (scheme == UriScheme::Other) {
    out.append(opaque);
    return;
  }
  out.append(user);
  if (scheme == UriScheme::Tel) {
    append_params(out, params);
    return;
  }
  if (password) {
    out.push_back(':');
    out.append(*password);
  }
  if (!user.empty() || password) out.push_back('@');
  out.append(host);
  if (port) {
    out.push_back(':');
    out.append(std::to_string(*port));
  }
  append_params(out, params);
  char sep = '?';
  for (const Param& h : headers) {
    out.push_back(sep);
    sep = '&';
    out.append(h.name);
    out.push_back('=');
    out.append(h.value.value_or(""));
  }
}

std::string Uri::to_string() const {
  std::string out;
  append_to(out);
  return out;
}

namespace detail {

std::expected<void, ParseError> scan_uri(std::string_view text, Uri* out) {
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos || !valid_scheme(text.substr(0, colon))) {
    return uri_error("missing or bad scheme");
  }
  const std::string_view scheme = text.substr(0, colon);
  const std::string_view rest = text.substr(colon + 1);
  UriScheme kind = UriScheme::Other;
  if (iequals(scheme, "sip")) {
    kind = UriScheme::Sip;
  } else if (iequals(scheme, "sips")) {
    kind = UriScheme::Sips;
  } else if (iequals(scheme, "tel")) {
    kind = UriScheme::Tel;
  }
  if (out != nullptr) {
    out->scheme = kind;
    out->scheme_name.assign(scheme);
  }
  if (kind == UriScheme::Sip || kind == UriScheme::Sips) return parse_sip_uri(rest, out);
  if (kind == UriScheme::Tel) return parse_tel_uri(rest, out);
  if (rest.empty() || !std::all_of(rest.begin(), rest.end(), opaque_char)) return uri_error("bad URI");
  if (out != nullptr) out->opaque.assign(rest);
  return {};
}

}  // namespace detail

std::expected<Uri, ParseError> parse_uri(std::string_view text) {
  Uri uri;
  if (auto r = detail::scan_uri(text, &uri); !r) return std::unexpected(std::move(r.error()));
  return uri;
}

bool operator==(const Uri& a, const Uri& b) {
  if (a.scheme != b.scheme || !iequals(a.scheme_name, b.scheme_name)) return false;
  if (a.scheme == UriScheme::Other) return a.opaque == b.opaque;
  if (unescape(a.user) != unescape(b.user)) return false;
  if (a.password.has_value() != b.password.has_value()) return false;
  if (a.password && unescape(*a.password) != unescape(*b.password)) return false;
  if (!iequals(a.host, b.host) || a.port != b.port) return false;
  return params_equivalent(a.params, b.params) && params_equivalent(b.params, a.params) &&
         headers_equivalent(a.headers, b.headers);
}

}  // namespace rtcgate::sip
