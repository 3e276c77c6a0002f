// name-addr / addr-spec with header parameters (RFC 3261 §20.10, §20.20, §20.39, §25.1).
#include "rtcgate/sip/name_addr.hpp"

#include "message/text.hpp"

namespace rtcgate::sip {

namespace {

std::unexpected<ParseError> name_addr_error(std::string reason, std::size_t offset = 0) {
  return std::unexpected(ParseError{ParseErrorCode::BadNameAddr, offset, 0, std::move(reason)});
}

// display-name as tokens: *(token LWS); returned with runs of whitespace collapsed.
bool parse_token_display_name(std::string_view s, std::string& out) {
  s = detail::trim(s);
  bool space = false;
  for (char c : s) {
    if (detail::is_lws(c)) {
      space = true;
      continue;
    }
    if (!detail::is_token_char(c)) return false;
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return true;
}

// True when writing the URI without angle brackets would change its meaning (RFC 3261 §20.10).
bool needs_angle_brackets(const Uri& uri) {
  const std::string text = uri.to_string();
  return text.find_first_of(",;?") != std::string::npos;
}

}  // namespace

std::expected<NameAddr, ParseError> parse_name_addr(std::string_view text) {
  text = detail::trim(text);
  NameAddr out;
  std::size_t uri_begin = 0;
  std::size_t uri_end = 0;
  std::size_t after = 0;
  if (!text.empty() && text.front() == '"') {
    const std::size_t end = detail::skip_quoted(text, 0);
    if (end == std::string_view::npos) return name_addr_error("unterminated display name");
    out.display_name = detail::unquote(text.substr(1, end - 2));
    const std::string_view rest = detail::trim_left(text.substr(end));
    if (rest.empty() || rest.front() != '<') return name_addr_error("display name without <URI>");
    uri_begin = text.size() - rest.size() + 1;
  } else {
    const std::size_t lt = text.find('<');
    if (lt != std::string_view::npos) {
      if (!parse_token_display_name(text.substr(0, lt), out.display_name)) {
        return name_addr_error("bad display name");
      }
      uri_begin = lt + 1;
    } else {
      // addr-spec: every ';' after the URI starts a header parameter (RFC 3261 §20).
      out.angle_brackets = false;
      const std::size_t semi = text.find(';');
      const std::string_view uri_text = detail::trim(text.substr(0, semi));
      // RFC 3261 §20.10: a URI with a comma, question mark or semicolon needs the name-addr form.
      if (uri_text.find('?') != std::string_view::npos) return name_addr_error("URI with '?' outside <>");
      auto uri = parse_uri(uri_text);
      if (!uri) return name_addr_error("bad URI: " + uri.error().reason);
      out.uri = std::move(*uri);
      if (semi != std::string_view::npos && !detail::parse_header_params(text.substr(semi), out.params)) {
        return name_addr_error("bad header parameter");
      }
      return out;
    }
  }
  uri_end = text.find('>', uri_begin);
  if (uri_end == std::string_view::npos) return name_addr_error("missing '>'");
  auto uri = parse_uri(text.substr(uri_begin, uri_end - uri_begin));
  if (!uri) return name_addr_error("bad URI: " + uri.error().reason);
  out.uri = std::move(*uri);
  after = uri_end + 1;
  if (!detail::parse_header_params(text.substr(after), out.params)) {
    return name_addr_error("bad header parameter");
  }
  return out;
}

void NameAddr::append_to(std::string& out) const {
  const bool brackets = angle_brackets || !display_name.empty() || needs_angle_brackets(uri);
  if (!display_name.empty()) {
    detail::append_quoted(out, display_name);
    out.push_back(' ');
  }
  if (brackets) out.push_back('<');
  uri.append_to(out);
  if (brackets) out.push_back('>');
  append_params(out, params);
}

std::string NameAddr::to_string() const {
  std::string out;
  append_to(out);
  return out;
}

}  // namespace rtcgate::sip
