// Responses (RFC 3261 §8.2.6) and 400 answers to malformed requests (RFC 3261 §8.2, §20.43).
#include "rtcgate/sip/response.hpp"

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

std::optional<Message> make_bad_request(std::string_view text, const ParseError& error,
                                        std::string_view warn_agent) {
  // Re-scan leniently: only the start line and the five headers needed to route a response.
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
  for (std::size_t i = 0; i < 512; ++i) {
    auto header = scanner.next_header();
    if (!header || !header->has_value()) break;
    const HeaderId id = header_id((*header)->name);
    if (id == HeaderId::Via || id == HeaderId::From || id == HeaderId::To || id == HeaderId::CallId ||
        id == HeaderId::CSeq) {
      request.headers().push_back(Header{std::string((*header)->name), id, std::string((*header)->value)});
    }
  }
  for (HeaderId id : {HeaderId::Via, HeaderId::From, HeaderId::To, HeaderId::CallId, HeaderId::CSeq}) {
    if (!request.first(id)) return std::nullopt;
  }
  Message response = make_response(request, 400, "Bad Request", make_tag());
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
