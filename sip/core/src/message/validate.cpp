// Eager validation of the headers the message layer understands (RFC 3261 §8.1.1, §20).
#include <array>

#include "message/message_scanner.hpp"
#include "message/text.hpp"

namespace rtcgate::sip::detail {

namespace {

std::unexpected<ParseError> fail(ParseErrorCode code, std::string reason) {
  return std::unexpected(ParseError{code, 0, 0, std::move(reason)});
}

// Call-ID = word [ "@" word ] (RFC 3261 §25.1).
bool valid_call_id(std::string_view v) {
  if (v.empty()) return false;
  const std::size_t at = v.find('@');
  const std::string_view a = v.substr(0, at);
  if (a.empty() || !all_of_class(a, kWord)) return false;
  if (at == std::string_view::npos) return true;
  const std::string_view b = v.substr(at + 1);
  return !b.empty() && all_of_class(b, kWord);
}

struct Counts {
  std::array<std::uint16_t, static_cast<std::size_t>(HeaderId::Count_)> n{};
  std::uint16_t& operator[](HeaderId id) { return n[static_cast<std::size_t>(id)]; }
};

std::expected<void, ParseError> check_value(const Header& h, bool& wildcard_contact, std::size_t& contacts) {
  switch (h.id) {
    case HeaderId::Via:
      if (!parse_via(h.value)) return fail(ParseErrorCode::BadVia, "bad Via: " + h.value);
      break;
    case HeaderId::From:
    case HeaderId::To:
    case HeaderId::Route:
    case HeaderId::RecordRoute:
      if (!parse_name_addr(h.value)) {
        return fail(ParseErrorCode::BadNameAddr, "bad " + std::string(h.canonical_name()) + ": " + h.value);
      }
      break;
    case HeaderId::Contact:
      ++contacts;
      if (h.value == "*") {
        wildcard_contact = true;
      } else if (!parse_name_addr(h.value)) {
        return fail(ParseErrorCode::BadNameAddr, "bad Contact: " + h.value);
      }
      break;
    case HeaderId::CallId:
      if (!valid_call_id(h.value)) return fail(ParseErrorCode::BadCallId, "bad Call-ID");
      break;
    case HeaderId::CSeq:
      if (!parse_cseq(h.value)) return fail(ParseErrorCode::BadCSeq, "bad CSeq: " + h.value);
      break;
    case HeaderId::MaxForwards:
      if (!parse_uint<std::uint32_t>(h.value, 255))
        return fail(ParseErrorCode::BadMaxForwards, "bad Max-Forwards");
      break;
    case HeaderId::ContentLength:
      if (!parse_uint<std::uint32_t>(h.value, 0xffffffffULL)) {
        return fail(ParseErrorCode::BadContentLength, "bad Content-Length");
      }
      break;
    case HeaderId::Expires:
      if (!parse_uint<std::uint32_t>(h.value, 0xffffffffULL))
        return fail(ParseErrorCode::BadExpires, "bad Expires");
      break;
    case HeaderId::Date:
      // RFC 3261 §20.17: SIP-date is an RFC 1123 date whose zone is always "GMT" (RFC 4475 baddate).
      if (!h.value.ends_with(" GMT")) return fail(ParseErrorCode::BadHeaderValue, "Date not in GMT");
      break;
    default:
      break;
  }
  return {};
}

}  // namespace

std::expected<void, ParseError> validate_headers(const Message& message) {
  Counts counts;
  bool wildcard_contact = false;
  std::size_t contacts = 0;
  for (const Header& h : message.headers()) {
    ++counts[h.id];
    if (auto r = check_value(h, wildcard_contact, contacts); !r) return r;
  }
  // RFC 3261 §10.2.2: "*" is only valid alone.
  if (wildcard_contact && contacts > 1)
    return fail(ParseErrorCode::BadNameAddr, "Contact '*' with other contacts");
  for (HeaderId id : {HeaderId::Via, HeaderId::From, HeaderId::To, HeaderId::CallId, HeaderId::CSeq}) {
    if (counts[id] == 0)
      return fail(ParseErrorCode::MissingHeader, "missing " + std::string(canonical_name(id)));
  }
  for (HeaderId id : {HeaderId::From, HeaderId::To, HeaderId::CallId, HeaderId::CSeq, HeaderId::MaxForwards,
                      HeaderId::ContentLength, HeaderId::ContentType, HeaderId::Expires}) {
    if (counts[id] > 1)
      return fail(ParseErrorCode::DuplicateHeader, "repeated " + std::string(canonical_name(id)));
  }
  if (message.is_request()) {
    const auto cseq = message.cseq();
    if (cseq && cseq->method_token != message.method_token()) {
      return fail(ParseErrorCode::CSeqMethodMismatch, "CSeq method differs from the request method");
    }
  }
  return {};
}

}  // namespace rtcgate::sip::detail
