// Header name table (RFC 3261 §7.3.3, §20; compact forms as registered with IANA).
#include "rtcgate/sip/headers.hpp"

#include <array>

#include "message/text.hpp"
#include "rtcgate/sip/method.hpp"
#include "rtcgate/sip/param.hpp"

namespace rtcgate::sip {

namespace {

enum Flags : std::uint8_t { kNone = 0, kList = 1, kSingle = 2 };

struct HeaderInfo {
  HeaderId id;
  std::string_view name;
  char compact;
  std::uint8_t flags;
};

constexpr std::array<HeaderInfo, static_cast<std::size_t>(HeaderId::Count_)> kHeaders{{
    {HeaderId::Other, "", '\0', kNone},
    {HeaderId::Accept, "Accept", '\0', kList},
    {HeaderId::AcceptContact, "Accept-Contact", 'a', kList},
    {HeaderId::AcceptEncoding, "Accept-Encoding", '\0', kList},
    {HeaderId::AcceptLanguage, "Accept-Language", '\0', kList},
    {HeaderId::AlertInfo, "Alert-Info", '\0', kList},
    {HeaderId::Allow, "Allow", '\0', kList},
    {HeaderId::AllowEvents, "Allow-Events", 'u', kList},
    {HeaderId::AuthenticationInfo, "Authentication-Info", '\0', kSingle},
    {HeaderId::Authorization, "Authorization", '\0', kNone},
    {HeaderId::CallId, "Call-ID", 'i', kSingle},
    {HeaderId::CallInfo, "Call-Info", '\0', kList},
    {HeaderId::Contact, "Contact", 'm', kList},
    {HeaderId::ContentDisposition, "Content-Disposition", '\0', kSingle},
    {HeaderId::ContentEncoding, "Content-Encoding", 'e', kList},
    {HeaderId::ContentLanguage, "Content-Language", '\0', kList},
    {HeaderId::ContentLength, "Content-Length", 'l', kSingle},
    {HeaderId::ContentType, "Content-Type", 'c', kSingle},
    {HeaderId::CSeq, "CSeq", '\0', kSingle},
    {HeaderId::Date, "Date", '\0', kSingle},
    {HeaderId::ErrorInfo, "Error-Info", '\0', kList},
    {HeaderId::Event, "Event", 'o', kSingle},
    {HeaderId::Expires, "Expires", '\0', kSingle},
    {HeaderId::From, "From", 'f', kSingle},
    {HeaderId::Identity, "Identity", 'y', kNone},
    {HeaderId::InReplyTo, "In-Reply-To", '\0', kList},
    {HeaderId::InfoPackage, "Info-Package", '\0', kSingle},
    {HeaderId::MaxForwards, "Max-Forwards", '\0', kSingle},
    {HeaderId::MinExpires, "Min-Expires", '\0', kSingle},
    {HeaderId::MinSE, "Min-SE", '\0', kSingle},
    {HeaderId::Organization, "Organization", '\0', kSingle},
    {HeaderId::PAssertedIdentity, "P-Asserted-Identity", '\0', kList},
    {HeaderId::PPreferredIdentity, "P-Preferred-Identity", '\0', kList},
    {HeaderId::Path, "Path", '\0', kList},
    {HeaderId::Priority, "Priority", '\0', kSingle},
    {HeaderId::Privacy, "Privacy", '\0', kNone},
    {HeaderId::ProxyAuthenticate, "Proxy-Authenticate", '\0', kNone},
    {HeaderId::ProxyAuthorization, "Proxy-Authorization", '\0', kNone},
    {HeaderId::ProxyRequire, "Proxy-Require", '\0', kList},
    {HeaderId::RAck, "RAck", '\0', kSingle},
    {HeaderId::Reason, "Reason", '\0', kList},
    {HeaderId::RecordRoute, "Record-Route", '\0', kList},
    {HeaderId::ReferredBy, "Referred-By", 'b', kSingle},
    {HeaderId::ReferTo, "Refer-To", 'r', kSingle},
    {HeaderId::RejectContact, "Reject-Contact", 'j', kList},
    {HeaderId::ReplyTo, "Reply-To", '\0', kSingle},
    {HeaderId::RequestDisposition, "Request-Disposition", 'd', kList},
    {HeaderId::Require, "Require", '\0', kList},
    {HeaderId::RecvInfo, "Recv-Info", '\0', kList},
    {HeaderId::RetryAfter, "Retry-After", '\0', kSingle},
    {HeaderId::Route, "Route", '\0', kList},
    {HeaderId::RSeq, "RSeq", '\0', kSingle},
    {HeaderId::Server, "Server", '\0', kNone},
    {HeaderId::ServiceRoute, "Service-Route", '\0', kList},
    {HeaderId::SessionExpires, "Session-Expires", 'x', kSingle},
    {HeaderId::SipETag, "SIP-ETag", '\0', kSingle},
    {HeaderId::SipIfMatch, "SIP-If-Match", '\0', kSingle},
    {HeaderId::Subject, "Subject", 's', kNone},
    {HeaderId::SubscriptionState, "Subscription-State", '\0', kSingle},
    {HeaderId::Supported, "Supported", 'k', kList},
    {HeaderId::Timestamp, "Timestamp", '\0', kSingle},
    {HeaderId::To, "To", 't', kSingle},
    {HeaderId::Unsupported, "Unsupported", '\0', kList},
    {HeaderId::UserAgent, "User-Agent", '\0', kNone},
    {HeaderId::Via, "Via", 'v', kList},
    {HeaderId::Warning, "Warning", '\0', kList},
    {HeaderId::WwwAuthenticate, "WWW-Authenticate", '\0', kNone},
}};

constexpr bool table_is_ordered() {
  for (std::size_t i = 0; i < kHeaders.size(); ++i) {
    if (static_cast<std::size_t>(kHeaders[i].id) != i) return false;
  }
  return true;
}
static_assert(table_is_ordered(), "kHeaders must be indexed by HeaderId");

constexpr const HeaderInfo& info(HeaderId id) {
  return kHeaders[static_cast<std::size_t>(id)];
}

// For each first letter (a..z, lower case), the headers whose long name starts with it: header_id()
// runs for every header of every message, so it compares against a handful of names, not all.
constexpr std::size_t kMaxPerLetter = 16;
struct LetterIndex {
  std::array<std::array<HeaderId, kMaxPerLetter>, 26> ids{};
  std::array<std::uint8_t, 26> counts{};
};

constexpr LetterIndex make_letter_index() {
  LetterIndex index;
  for (std::size_t i = 1; i < kHeaders.size(); ++i) {
    const char c = kHeaders[i].name[0];
    const auto letter = static_cast<std::size_t>((c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c) - 'a');
    index.ids[letter][index.counts[letter]++] = kHeaders[i].id;
  }
  return index;
}

constexpr bool index_fits() {
  for (std::size_t i = 1; i < kHeaders.size(); ++i) {
    const char c = kHeaders[i].name[0];
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
  }
  std::array<std::size_t, 26> counts{};
  for (std::size_t i = 1; i < kHeaders.size(); ++i) {
    const char c = kHeaders[i].name[0];
    if (++counts[static_cast<std::size_t>((c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c) - 'a')] >
        kMaxPerLetter) {
      return false;
    }
  }
  return true;
}
static_assert(index_fits(), "raise kMaxPerLetter");

constexpr LetterIndex kByLetter = make_letter_index();

}  // namespace

HeaderId header_id(std::string_view name) {
  if (name.empty()) return HeaderId::Other;
  const char first = detail::to_lower(name[0]);
  if (name.size() == 1) {
    for (const HeaderInfo& h : kHeaders) {
      if (h.compact == first) return h.id;
    }
    return HeaderId::Other;
  }
  if (first < 'a' || first > 'z') return HeaderId::Other;
  const auto letter = static_cast<std::size_t>(first - 'a');
  for (std::size_t i = 0; i < kByLetter.counts[letter]; ++i) {
    const HeaderInfo& h = info(kByLetter.ids[letter][i]);
    if (h.name.size() == name.size() && iequals(h.name, name)) return h.id;
  }
  return HeaderId::Other;
}

std::string_view canonical_name(HeaderId id) {
  return info(id).name;
}
char compact_form(HeaderId id) {
  return info(id).compact;
}
bool is_list_header(HeaderId id) {
  return (info(id).flags & kList) != 0;
}
bool is_single_header(HeaderId id) {
  return (info(id).flags & kSingle) != 0;
}
bool is_header_name(std::string_view name) {
  return is_token(name);
}

std::string_view Header::canonical_name() const {
  return id == HeaderId::Other ? std::string_view(name) : sip::canonical_name(id);
}

bool Header::is(std::string_view other) const {
  const HeaderId other_id = header_id(other);
  if (other_id != HeaderId::Other || id != HeaderId::Other) return other_id == id;
  return iequals(name, other);
}

}  // namespace rtcgate::sip
