// Via (RFC 3261 §20.42, §25.1 via-parm; RFC 3581 rport).
#include "rtcgate/sip/header_via.hpp"

#include "message/syntax_check.hpp"
#include "message/text.hpp"

namespace rtcgate::sip {

namespace {

std::unexpected<ParseError> via_error(std::string reason, std::size_t offset = 0) {
  return std::unexpected(ParseError{ParseErrorCode::BadVia, offset, 0, std::move(reason)});
}

struct Cursor {
  std::string_view s;
  std::size_t i = 0;

  void skip_lws() {
    while (i < s.size() && detail::is_lws(s[i]))
      ++i;
  }
  std::string_view token() {
    const std::size_t start = i;
    while (i < s.size() && detail::is_token_char(s[i]))
      ++i;
    return s.substr(start, i - start);
  }
  bool eat(char c) {
    skip_lws();
    if (i < s.size() && s[i] == c) {
      ++i;
      skip_lws();
      return true;
    }
    return false;
  }
};

bool valid_sent_by_host(std::string_view h) {
  if (h.empty()) return false;
  if (h.front() == '[') return detail::is_ipv6_reference(h);
  return detail::all_of_class(h, detail::kHost) && h.front() != '-' && h.front() != '.';
}

// Checks the values of the parameters RFC 3261 and RFC 3581 define.
bool valid_via_param(const detail::RawParam& p) {
  if (iequals(p.name, "ttl")) return p.value && !p.quoted && detail::parse_uint<std::uint8_t>(*p.value, 255);
  if (iequals(p.name, "rport"))
    return !p.value || (!p.quoted && detail::parse_uint<std::uint16_t>(*p.value, 65535));
  if (iequals(p.name, "branch") || iequals(p.name, "received") || iequals(p.name, "maddr")) {
    return p.value && !p.value->empty() && !p.quoted;
  }
  return true;
}

void assign(std::string* out, std::string_view value) {
  if (out != nullptr) out->assign(value);
}

// Parses into `*via`, or only checks when `via` is null.
std::expected<void, ParseError> scan_via(std::string_view text, Via* via) {
  Cursor c{detail::trim(text)};
  const std::string_view protocol_name = c.token();
  if (protocol_name.empty() || !c.eat('/')) return via_error("bad sent-protocol");
  const std::string_view protocol_version = c.token();
  if (protocol_version.empty() || !c.eat('/')) return via_error("bad sent-protocol");
  const std::string_view transport = c.token();
  if (transport.empty()) return via_error("missing transport");
  const std::size_t before_lws = c.i;
  c.skip_lws();
  if (c.i == before_lws) return via_error("no whitespace before sent-by");
  const std::size_t host_start = c.i;
  if (c.i < c.s.size() && c.s[c.i] == '[') {
    const std::size_t close = c.s.find(']', c.i);
    if (close == std::string_view::npos) return via_error("unterminated IPv6 reference");
    c.i = close + 1;
  } else {
    while (c.i < c.s.size() && detail::has_class(c.s[c.i], detail::kHost))
      ++c.i;
  }
  const std::string_view host = c.s.substr(host_start, c.i - host_start);
  if (!valid_sent_by_host(host)) return via_error("bad sent-by host");
  std::optional<std::uint16_t> port;
  if (c.eat(':')) {
    const std::size_t port_start = c.i;
    while (c.i < c.s.size() && detail::is_digit(c.s[c.i]))
      ++c.i;
    port = detail::parse_uint<std::uint16_t>(c.s.substr(port_start, c.i - port_start), 65535);
    if (!port) return via_error("bad sent-by port");
  }
  const bool params_ok = detail::scan_header_params(c.s.substr(c.i), [via](const detail::RawParam& p) {
    if (!valid_via_param(p)) return false;
    if (via != nullptr) detail::append_raw_param(via->params, p);
    return true;
  });
  if (!params_ok) return via_error("bad Via parameter");
  if (via != nullptr) {
    assign(&via->protocol_name, protocol_name);
    assign(&via->protocol_version, protocol_version);
    assign(&via->transport, transport);
    assign(&via->host, host);
    via->port = port;
  }
  return {};
}

}  // namespace

std::expected<Via, ParseError> parse_via(std::string_view text) {
  Via via;
  if (auto r = scan_via(text, &via); !r) return std::unexpected(std::move(r.error()));
  return via;
}

namespace detail {

std::expected<void, ParseError> check_via(std::string_view text) {
  return scan_via(text, nullptr);
}

}  // namespace detail

std::optional<std::uint8_t> Via::ttl() const {
  const auto v = param("ttl");
  if (!v) return std::nullopt;
  return detail::parse_uint<std::uint8_t>(*v, 255);
}

std::optional<std::uint16_t> Via::rport() const {
  const auto v = param("rport");
  if (!v || v->empty()) return std::nullopt;
  return detail::parse_uint<std::uint16_t>(*v, 65535);
}

void Via::set_rport(std::uint16_t rport_value) {
  set_param(params, "rport", std::to_string(rport_value));
}

void Via::append_to(std::string& out) const {
  out.append(protocol_name);
  out.push_back('/');
  out.append(protocol_version);
  out.push_back('/');
  out.append(transport);
  out.push_back(' ');
  out.append(host);
  if (port) {
    out.push_back(':');
    out.append(std::to_string(*port));
  }
  append_params(out, params);
}

std::string Via::to_string() const {
  std::string out;
  append_to(out);
  return out;
}

}  // namespace rtcgate::sip
