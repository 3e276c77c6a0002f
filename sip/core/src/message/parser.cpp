// parse_message (RFC 3261 §7, §18.3, §25; RFC 4475 for what "liberal" means).
#include "rtcgate/sip/parser.hpp"

#include <algorithm>

#include "message/message_scanner.hpp"
#include "message/text.hpp"

namespace rtcgate::sip {

namespace {

using detail::HeaderLine;
using detail::MessageScanner;

std::unexpected<ParseError> fail(ParseErrorCode code, std::size_t offset, std::size_t line,
                                 std::string reason) {
  return std::unexpected(ParseError{code, offset, line, std::move(reason)});
}

// "SIP/2.0", case-insensitively (RFC 3261 §7.1).
bool is_sip_2_0(std::string_view v) {
  return iequals(v, "SIP/2.0");
}

bool looks_like_version(std::string_view v) {
  return v.size() >= 5 && iequals(v.substr(0, 4), "SIP/");
}

std::expected<void, ParseError> parse_request_line(std::string_view line, std::size_t offset, Message& out) {
  const std::size_t sp1 = line.find(' ');
  const std::size_t sp2 = line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1) {
    return fail(ParseErrorCode::BadStartLine, offset, 1, "request line needs method, URI and version");
  }
  const std::string_view method = line.substr(0, sp1);
  const std::string_view uri_text = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = line.substr(sp2 + 1);
  if (!is_token(method)) return fail(ParseErrorCode::BadMethod, offset, 1, "method is not a token");
  // RFC 3261 §7.1: exactly one SP between the elements (RFC 4475 lwsstart, trws).
  if (uri_text.empty() || uri_text.front() == ' ' || uri_text.back() == ' ') {
    return fail(ParseErrorCode::BadStartLine, offset + sp1, 1, "extra SP in the request line");
  }
  if (!looks_like_version(version))
    return fail(ParseErrorCode::BadStartLine, offset + sp2 + 1, 1, "no SIP version");
  if (!is_sip_2_0(version))
    return fail(ParseErrorCode::BadVersion, offset + sp2 + 1, 1, "unsupported SIP version");
  auto uri = parse_uri(uri_text);
  if (!uri) {
    return fail(ParseErrorCode::BadRequestUri, offset + sp1 + 1, 1, "bad Request-URI: " + uri.error().reason);
  }
  // RFC 3261 §19.1.1 table: URI headers are not allowed in a Request-URI (RFC 4475 escruri).
  if (!uri->headers.empty()) {
    return fail(ParseErrorCode::BadRequestUri, offset + sp1 + 1, 1, "headers in the Request-URI");
  }
  out.set_request_line(method_from_token(method), std::string(method), std::move(*uri));
  out.set_version(std::string(version));
  return {};
}

std::expected<void, ParseError> parse_status_line(std::string_view line, std::size_t offset, Message& out) {
  const std::size_t sp1 = line.find(' ');
  const std::string_view version = line.substr(0, sp1);
  if (!is_sip_2_0(version)) return fail(ParseErrorCode::BadVersion, offset, 1, "unsupported SIP version");
  if (sp1 == std::string_view::npos) return fail(ParseErrorCode::BadStatusCode, offset, 1, "no status code");
  const std::string_view rest = line.substr(sp1 + 1);
  const std::size_t sp2 = std::min(rest.find(' '), rest.size());
  const std::string_view code = rest.substr(0, sp2);
  const auto status = code.size() == 3 ? detail::parse_uint<int>(code, 699) : std::nullopt;
  if (!status || *status < 100)
    return fail(ParseErrorCode::BadStatusCode, offset + sp1 + 1, 1, "bad status code");
  // Reason-Phrase: anything but control characters (UTF-8 and escapes allowed, RFC 3261 §25.1).
  const std::string_view reason = sp2 < rest.size() ? rest.substr(sp2 + 1) : std::string_view{};
  for (char c : reason) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7f) {
      return fail(ParseErrorCode::BadStartLine, offset, 1, "control character in reason phrase");
    }
  }
  out.set_status(*status, reason);
  out.set_version(std::string(version));
  return {};
}

std::expected<void, ParseError> parse_start_line(std::string_view line, std::size_t offset, Message& out) {
  if (looks_like_version(line.substr(0, std::min(line.find(' '), line.size())))) {
    return parse_status_line(line, offset, out);
  }
  return parse_request_line(line, offset, out);
}

// Adds one header line to `out`, splitting list headers into elements, and checks each element.
std::expected<void, ParseError> add_header(const HeaderLine& line, const ParseLimits& limits,
                                           detail::HeaderValidator& validator, Message& out) {
  const HeaderId id = header_id(line.name);
  auto push = [&](std::string_view value) -> std::expected<void, ParseError> {
    if (out.headers().size() >= limits.max_headers) {
      return fail(ParseErrorCode::TooManyHeaders, line.offset, line.line, "too many headers");
    }
    out.headers().push_back(Header{std::string(line.name), id, std::string(value)});
    return validator.check(out.headers().back(), line.offset, line.line);
  };
  if (!is_list_header(id) || line.value.find(',') == std::string::npos) return push(line.value);
  std::string_view rest = line.value;
  while (true) {
    const std::size_t comma = detail::find_unquoted(rest, ',');
    if (auto r = push(detail::trim(rest.substr(0, comma))); !r) return r;
    if (comma == std::string_view::npos) return {};
    rest.remove_prefix(comma + 1);
  }
}

}  // namespace

std::expected<Message, ParseError> parse_message(std::string_view text, const ParseLimits& limits) {
  if (text.size() > limits.max_message_size) {
    return fail(ParseErrorCode::MessageTooLarge, limits.max_message_size, 0, "message over the size limit");
  }
  MessageScanner scanner(text, limits.max_header_length);
  const auto start = scanner.start_line();
  if (!start) return std::unexpected(start.error());
  Message out;
  // Typical requests have 10 to 30 entries once lists are split; one reservation avoids regrowing
  // (and moving every Header) several times per message.
  out.headers().reserve(std::min<std::size_t>(limits.max_headers, 32));
  if (auto r = parse_start_line(start->text, start->offset, out); !r) return std::unexpected(r.error());
  detail::HeaderValidator validator;
  while (true) {
    auto line = scanner.next_header();
    if (!line) return std::unexpected(line.error());
    if (!line->has_value()) break;
    if (auto r = add_header(**line, limits, validator, out); !r) return std::unexpected(r.error());
  }
  if (auto r = validator.finish(out); !r) return std::unexpected(r.error());
  const std::string_view rest = scanner.rest();
  const auto length = out.content_length();
  if (length) {
    if (*length > rest.size()) {
      return fail(ParseErrorCode::BodyTruncated, text.size(), 0, "body shorter than Content-Length");
    }
    out.set_body_bytes(std::string(rest.substr(0, *length)));
  } else if (limits.require_content_length) {
    return fail(ParseErrorCode::MissingContentLength, scanner.body_offset(), 0, "Content-Length required");
  } else {
    out.set_body_bytes(std::string(rest));
  }
  return out;
}

}  // namespace rtcgate::sip
