// Responses (RFC 3261 §8.2.6) and 400 answers to malformed requests (RFC 3261 §8.2, §20.43).
#include "rtcgate/sip/response.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "message/message_scanner.hpp"
#include "message/text.hpp"
#include "rtcgate/sip/identifiers.hpp"

namespace rtcgate::sip {

namespace {

constexpr std::array<std::pair<int, std::string_view>, 52> kReasons{{
    {100, "Trying"},
    {180, "Ringing"},
    {181, "Call Is Being Forwarded"},
    {182, "Queued"},
    {183, "Session Progress"},
    {199, "Early Dialog Terminated"},
    {200, "OK"},
    {202, "Accepted"},
    {204, "No Notification"},
    {300, "Multiple Choices"},
    {301, "Moved Permanently"},
    {302, "Moved Temporarily"},
    {305, "Use Proxy"},
    {380, "Alternative Service"},
    {400, "Bad Request"},
    {401, "Unauthorized"},
    {402, "Payment Required"},
    {403, "Forbidden"},
    {404, "Not Found"},
    {405, "Method Not Allowed"},
    {406, "Not Acceptable"},
    {407, "Proxy Authentication Required"},
    {408, "Request Timeout"},
    {410, "Gone"},
    {413, "Request Entity Too Large"},
    {414, "Request-URI Too Long"},
    {415, "Unsupported Media Type"},
    {416, "Unsupported URI Scheme"},
    {420, "Bad Extension"},
    {421, "Extension Required"},
    {422, "Session Interval Too Small"},
    {423, "Interval Too Brief"},
    {430, "Flow Failed"},
    {439, "First Hop Lacks Outbound Support"},
    {480, "Temporarily Unavailable"},
    {481, "Call/Transaction Does Not Exist"},
    {482, "Loop Detected"},
    {483, "Too Many Hops"},
    {484, "Address Incomplete"},
    {485, "Ambiguous"},
    {486, "Busy Here"},
    {487, "Request Terminated"},
    {488, "Not Acceptable Here"},
    {489, "Bad Event"},
    {491, "Request Pending"},
    {493, "Undecipherable"},
    {500, "Server Internal Error"},
    {501, "Not Implemented"},
    {502, "Bad Gateway"},
    {503, "Service Unavailable"},
    {504, "Server Time-out"},
    {505, "Version Not Supported"},
}};

// Copies headers of `id` from `from` into `to` in order, keeping their names as received.
void copy_headers(const std::vector<Header>& from, HeaderId id, Message& to) {
  for (const Header& h : from) {
    if (h.id == id) to.headers().push_back(h);
  }
}

}  // namespace

std::string_view default_reason(int status) {
  for (const auto& [code, reason] : kReasons) {
    if (code == status) return reason;
  }
  return {};
}

Message make_response(const Message& request, int status, std::string_view reason, std::string_view to_tag) {
  Message response = Message::response(status, reason.empty() ? default_reason(status) : reason);
  const auto& headers = request.headers();
  copy_headers(headers, HeaderId::Via, response);
  copy_headers(headers, HeaderId::From, response);
  const auto to = request.to();
  if (to && !to_tag.empty() && to->tag().empty()) {
    NameAddr tagged = *to;
    tagged.set_tag(to_tag);
    response.add("To", tagged.to_string());
  } else {
    copy_headers(headers, HeaderId::To, response);
  }
  copy_headers(headers, HeaderId::CallId, response);
  copy_headers(headers, HeaderId::CSeq, response);
  // RFC 3261 §8.2.6.1: a Timestamp in the request is echoed in the response.
  copy_headers(headers, HeaderId::Timestamp, response);
  return response;
}

int bad_request_status(ParseErrorCode code) {
  switch (code) {
    case ParseErrorCode::BadVersion:
      return 505;
    case ParseErrorCode::MessageTooLarge:
    case ParseErrorCode::TooManyHeaders:
    case ParseErrorCode::HeaderTooLong:
    case ParseErrorCode::BodyTooLarge:
      return 513;
    default:
      return 400;
  }
}

std::string_view bad_request_reason(ParseErrorCode code) {
  switch (code) {
    case ParseErrorCode::BadVersion:
      return "Version Not Supported";
    case ParseErrorCode::MessageTooLarge:
    case ParseErrorCode::TooManyHeaders:
    case ParseErrorCode::HeaderTooLong:
    case ParseErrorCode::BodyTooLarge:
      return "Message Too Large";
    case ParseErrorCode::BadStartLine:
      return "Malformed Request-Line";
    case ParseErrorCode::BadMethod:
      return "Malformed Method";
    case ParseErrorCode::BadRequestUri:
      return "Malformed Request-URI";
    case ParseErrorCode::BadHeaderLine:
      return "Malformed Header Line";
    case ParseErrorCode::BadHeaderValue:
      return "Malformed Header Field Value";
    case ParseErrorCode::MissingHeader:
      return "Missing Header Field";
    case ParseErrorCode::DuplicateHeader:
      return "Repeated Single-Value Header Field";
    case ParseErrorCode::CSeqMethodMismatch:
      return "CSeq Method Does Not Match Request Method";
    case ParseErrorCode::BadContentLength:
      return "Malformed Content-Length";
    case ParseErrorCode::BodyTruncated:
      return "Body Shorter Than Content-Length";
    case ParseErrorCode::MissingContentLength:
      return "Missing Content-Length";
    case ParseErrorCode::BadUri:
      return "Malformed URI";
    case ParseErrorCode::BadNameAddr:
      return "Malformed Address Header Field";
    case ParseErrorCode::BadVia:
      return "Malformed Via";
    case ParseErrorCode::BadCSeq:
      return "Malformed CSeq";
    case ParseErrorCode::BadMaxForwards:
      return "Malformed Max-Forwards";
    case ParseErrorCode::BadExpires:
      return "Malformed Expires";
    case ParseErrorCode::BadCallId:
      return "Malformed Call-ID";
    default:
      return "Bad Request";
  }
}

namespace {

bool has_control_characters(std::string_view value) {
  return std::any_of(value.begin(), value.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t') || u == 0x7f;
  });
}

// The Via, From, To, Call-ID and CSeq headers of the request `text`, read leniently; nullopt when
// the text is not a request that can be answered (see below) or a value is unsafe to echo.
std::optional<Message> routing_headers(std::string_view text) {
  detail::MessageScanner scanner(text, 65535);
  const auto start = scanner.start_line();
  if (!start) return std::nullopt;
  const std::string_view line = start->text;
  const std::size_t sp = line.find(' ');
  const std::string_view method = line.substr(0, sp);
  if (sp == std::string_view::npos || !is_token(method) || iequals(method.substr(0, 4), "SIP/")) {
    return std::nullopt;
  }
  // RFC 3261 §17.2.3: an ACK is never answered.
  if (method == "ACK") return std::nullopt;
  Message request;
  std::array<bool, static_cast<std::size_t>(HeaderId::Count_)> seen{};
  for (std::size_t i = 0; i < 512; ++i) {
    auto header = scanner.next_header();
    if (!header || !header->has_value()) break;
    const HeaderId id = header_id((*header)->name);
    const bool needed = id == HeaderId::Via || id == HeaderId::From || id == HeaderId::To ||
                        id == HeaderId::CallId || id == HeaderId::CSeq;
    // Every Via goes back; of the others only the first (a repeated one may be the error).
    if (!needed || (id != HeaderId::Via && seen[static_cast<std::size_t>(id)])) continue;
    seen[static_cast<std::size_t>(id)] = true;
    if (has_control_characters((*header)->value)) return std::nullopt;
    request.headers().push_back(Header{std::string((*header)->name), id, std::string((*header)->value)});
  }
  // A client transaction matches a response by the top Via branch and the CSeq method (RFC 3261
  // §17.1.3), so those two must be there; From, To and Call-ID are echoed when present (RFC 4475
  // §3.3.1 insuf: "Ideally, it will respond with a 400 Bad Request").
  if (!seen[static_cast<std::size_t>(HeaderId::Via)] || !seen[static_cast<std::size_t>(HeaderId::CSeq)]) {
    return std::nullopt;
  }
  // The response travels by the top Via (RFC 3261 §18.2.2); it must make sense. A Via line with
  // several values comes back as one header, so only its first value is checked.
  const std::string_view top = *request.first(HeaderId::Via);
  if (!parse_via(top.substr(0, std::min(detail::find_unquoted(top, ','), top.size())))) return std::nullopt;
  return request;
}

}  // namespace

std::optional<Message> make_bad_request(std::string_view text, const ParseError& error,
                                        std::string_view warn_agent) {
  const auto request = routing_headers(text);
  if (!request) return std::nullopt;
  Message response =
      make_response(*request, bad_request_status(error.code), bad_request_reason(error.code), make_tag());
  std::string warning = "399 ";
  warning.append(warn_agent.empty() ? std::string_view("-") : warn_agent);
  warning.push_back(' ');
  // The reason may quote received bytes; keep the Warning text printable (RFC 3261 §20.43).
  std::string warn_text = std::string(to_string(error.code)) + ": " + error.reason;
  for (char& c : warn_text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) c = '?';
  }
  detail::append_quoted(warning, warn_text);
  response.add("Warning", warning);
  return response;
}

}  // namespace rtcgate::sip
