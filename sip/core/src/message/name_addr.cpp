// name-addr / addr-spec with header parameters (RFC 3261 §20.10, §20.20, §20.39, §25.1).
#include "rtcgate/sip/name_addr.hpp"

#include "message/syntax_check.hpp"
#include "message/text.hpp"

namespace rtcgate::sip {

namespace {

std::unexpected<ParseError> name_addr_error(std::string reason, std::size_t offset = 0) {
  return std::unexpected(ParseError{ParseErrorCode::BadNameAddr, offset, 0, std::move(reason)});
}

// display-name as tokens: *(token LWS); stored in `out` (when not null) with runs of whitespace
// collapsed.
bool parse_token_display_name(std::string_view s, std::string* out) {
  s = detail::trim(s);
  bool space = false;
  for (char c : s) {
    if (detail::is_lws(c)) {
      space = true;
      continue;
    }
    if (!detail::is_token_char(c)) return false;
    if (out != nullptr) {
      if (space) out->push_back(' ');
      out->push_back(c);
    }
    space = false;
  }
  return true;
}

// True when writing the URI without angle brackets would change its meaning (RFC 3261 §20.10).
bool needs_angle_brackets(const Uri& uri) {
  const std::string text = uri.to_string();
  return text.find_first_of(",;?") != std::string::npos;
}

}  // namespace

namespace {

// The header parameters after the URI, stored in `params` when not null.
bool scan_params(std::string_view text, Params* params) {
  return detail::scan_header_params(text, [params](const detail::RawParam& p) {
    if (params != nullptr) detail::append_raw_param(*params, p);
    return true;
  });
}

std::expected<void, ParseError> scan_uri_part(std::string_view text, Uri* out) {
  if (auto uri = detail::scan_uri(text, out); !uri) return name_addr_error("bad URI: " + uri.error().reason);
  return {};
}

// Parses into `*out`, or only checks when `out` is null.
std::expected<void, ParseError> scan_name_addr(std::string_view text, NameAddr* out) {
  text = detail::trim(text);
  std::size_t uri_begin = 0;
  if (!text.empty() && text.front() == '"') {
    const std::size_t end = detail::skip_quoted(text, 0);
    if (end == std::string_view::npos) return name_addr_error("unterminated display name");
    if (out != nullptr) out->display_name = detail::unquote(text.substr(1, end - 2));
    const std::string_view rest = detail::trim_left(text.substr(end));
    if (rest.empty() || rest.front() != '<') return name_addr_error("display name without <URI>");
    uri_begin = text.size() - rest.size() + 1;
  } else if (const std::size_t lt = text.find('<'); lt != std::string_view::npos) {
    if (!parse_token_display_name(text.substr(0, lt), out != nullptr ? &out->display_name : nullptr)) {
      return name_addr_error("bad display name");
    }
    uri_begin = lt + 1;
  } else {
    // addr-spec: every ';' after the URI starts a header parameter (RFC 3261 §20).
    if (out != nullptr) out->angle_brackets = false;
    const std::size_t semi = text.find(';');
    const std::string_view uri_text = detail::trim(text.substr(0, semi));
    // RFC 3261 §20.10: a URI with a comma, question mark or semicolon needs the name-addr form.
    if (uri_text.find('?') != std::string_view::npos) return name_addr_error("URI with '?' outside <>");
    if (auto r = scan_uri_part(uri_text, out != nullptr ? &out->uri : nullptr); !r) return r;
    if (semi != std::string_view::npos &&
        !scan_params(text.substr(semi), out != nullptr ? &out->params : nullptr)) {
      return name_addr_error("bad header parameter");
    }
    return {};
  }
  const std::size_t uri_end = text.find('>', uri_begin);
  if (uri_end == std::string_view::npos) return name_addr_error("missing '>'");
  if (auto r =
          scan_uri_part(text.substr(uri_begin, uri_end - uri_begin), out != nullptr ? &out->uri : nullptr);
      !r) {
    return r;
  }
  if (!scan_params(text.substr(uri_end + 1), out != nullptr ? &out->params : nullptr)) {
    return name_addr_error("bad header parameter");
  }
  return {};
}

}  // namespace

std::expected<NameAddr, ParseError> parse_name_addr(std::string_view text) {
  NameAddr out;
  if (auto r = scan_name_addr(text, &out); !r) return std::unexpected(std::move(r.error()));
  return out;
}

namespace detail {

std::expected<void, ParseError> check_name_addr(std::string_view text) {
  return scan_name_addr(text, nullptr);
}

}  // namespace detail

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
