// Eager validation of the headers the message layer understands (RFC 3261 §8.1.1, §20; RFC 3262
// RSeq/RAck; RFC 4028 Session-Expires/Min-SE). Values are checked with the allocation-free syntax
// checks; the typed accessors build them on demand.
#include <array>

#include "message/message_scanner.hpp"
#include "message/syntax_check.hpp"
#include "message/text.hpp"

namespace rtcgate::sip::detail {

namespace {

std::unexpected<ParseError> fail(ParseErrorCode code, std::size_t offset, std::size_t line,
                                 std::string reason) {
  return std::unexpected(ParseError{code, offset, line, std::move(reason)});
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

bool valid_delta(std::string_view v) {
  return parse_uint<std::uint32_t>(v, 0xffffffffULL).has_value();
}

// delta-seconds followed by generic parameters (Session-Expires, Min-SE: RFC 4028 §4).
bool valid_delta_with_params(std::string_view v) {
  std::size_t i = 0;
  while (i < v.size() && is_digit(v[i]))
    ++i;
  if (!valid_delta(v.substr(0, i))) return false;
  return scan_header_params(v.substr(i), [](const RawParam&) { return true; });
}

// The single-instance headers whose repetition makes the message ambiguous for this stack; other
// repeated single headers (Date, Organization, ...) are tolerated (RFC 3261 §7.3.1, be liberal).
bool must_be_unique(HeaderId id) {
  switch (id) {
    case HeaderId::From:
    case HeaderId::To:
    case HeaderId::CallId:
    case HeaderId::CSeq:
    case HeaderId::MaxForwards:
    case HeaderId::ContentLength:
    case HeaderId::ContentType:
    case HeaderId::Expires:
    case HeaderId::RSeq:
    case HeaderId::RAck:
    case HeaderId::SessionExpires:
      return true;
    default:
      return false;
  }
}

std::string header_label(const Header& h) {
  return std::string(h.canonical_name());
}

}  // namespace

std::expected<void, ParseError> HeaderValidator::check(const Header& h, std::size_t offset,
                                                       std::size_t line) {
  const auto index = static_cast<std::size_t>(h.id);
  if (counts_[index] < 0xffff) ++counts_[index];
  const std::string_view v = h.value;
  auto bad = [&](ParseErrorCode code, std::string_view why) {
    return fail(code, offset, line, std::string(why) + " " + header_label(h));
  };
  switch (h.id) {
    case HeaderId::Via:
      if (auto r = check_via(v); !r) return bad(ParseErrorCode::BadVia, r.error().reason + " in");
      break;
    case HeaderId::From:
    case HeaderId::To:
    case HeaderId::Route:
    case HeaderId::RecordRoute:
      if (auto r = check_name_addr(v); !r) return bad(ParseErrorCode::BadNameAddr, r.error().reason + " in");
      break;
    case HeaderId::Contact:
      ++contacts_;
      if (v == "*") {
        wildcard_contact_ = true;
      } else if (auto r = check_name_addr(v); !r) {
        return bad(ParseErrorCode::BadNameAddr, r.error().reason + " in");
      }
      break;
    case HeaderId::CallId:
      if (!valid_call_id(v)) return bad(ParseErrorCode::BadCallId, "bad");
      break;
    case HeaderId::CSeq:
      if (!parse_cseq(v)) return bad(ParseErrorCode::BadCSeq, "bad");
      break;
    case HeaderId::MaxForwards:
      if (!parse_uint<std::uint32_t>(v, 255)) return bad(ParseErrorCode::BadMaxForwards, "bad");
      break;
    case HeaderId::ContentLength:
      if (!valid_delta(v)) return bad(ParseErrorCode::BadContentLength, "bad");
      break;
    case HeaderId::Expires:
    case HeaderId::MinExpires:
      if (!valid_delta(v)) return bad(ParseErrorCode::BadExpires, "bad");
      break;
    case HeaderId::RSeq:
      if (!valid_delta(v)) return bad(ParseErrorCode::BadHeaderValue, "bad");
      break;
    case HeaderId::RAck:
      if (!parse_rack(v)) return bad(ParseErrorCode::BadHeaderValue, "bad");
      break;
    case HeaderId::SessionExpires:
    case HeaderId::MinSE:
      if (!valid_delta_with_params(v)) return bad(ParseErrorCode::BadHeaderValue, "bad");
      break;
    case HeaderId::Date:
      // RFC 3261 §20.17: SIP-date is an RFC 1123 date whose zone is always "GMT" (RFC 4475 baddate).
      if (!v.ends_with(" GMT")) return bad(ParseErrorCode::BadHeaderValue, "non-GMT");
      break;
    default:
      break;
  }
  if (must_be_unique(h.id) && counts_[index] > 1) return bad(ParseErrorCode::DuplicateHeader, "repeated");
  return {};
}

std::expected<void, ParseError> HeaderValidator::finish(const Message& message) const {
  // RFC 3261 §10.2.2: "*" is only valid alone.
  if (wildcard_contact_ && contacts_ > 1) {
    return fail(ParseErrorCode::BadNameAddr, 0, 0, "Contact '*' with other contacts");
  }
  for (HeaderId id : {HeaderId::Via, HeaderId::From, HeaderId::To, HeaderId::CallId, HeaderId::CSeq}) {
    if (counts_[static_cast<std::size_t>(id)] == 0) {
      return fail(ParseErrorCode::MissingHeader, 0, 0, "missing " + std::string(canonical_name(id)));
    }
  }
  if (message.is_request()) {
    const auto cseq = message.cseq();
    if (cseq && cseq->method_token != message.method_token()) {
      return fail(ParseErrorCode::CSeqMethodMismatch, 0, 0, "CSeq method differs from the request method");
    }
  }
  return {};
}

}  // namespace rtcgate::sip::detail
