// Header names: the headers the message layer knows, their compact forms and which of them are
// comma-separated lists (RFC 3261 §7.3.1, §7.3.3, §20; compact forms from the IANA SIP
// parameters registry).
//
// A Header is one entry of Message's ordered header list: the name as received ("v", "VIA"), the
// resolved HeaderId, and the value with folding undone and surrounding whitespace removed. List
// headers (is_list_header) are split so that each entry holds one element: "Via: a, b" becomes two
// Via entries. Header names compare case-insensitively; a compact form and its long form are the
// same header. Value types and constant tables; no thread affinity.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace rtcgate::sip {

enum class HeaderId : std::uint8_t {
  Other,  // any header not in this list; compared by name
  Accept,
  AcceptContact,
  AcceptEncoding,
  AcceptLanguage,
  AlertInfo,
  Allow,
  AllowEvents,
  AuthenticationInfo,
  Authorization,
  CallId,
  CallInfo,
  Contact,
  ContentDisposition,
  ContentEncoding,
  ContentLanguage,
  ContentLength,
  ContentType,
  CSeq,
  Date,
  ErrorInfo,
  Event,
  Expires,
  From,
  Identity,
  InReplyTo,
  InfoPackage,
  MaxForwards,
  MinExpires,
  MinSE,
  Organization,
  PAssertedIdentity,
  PPreferredIdentity,
  Path,
  Priority,
  Privacy,
  ProxyAuthenticate,
  ProxyAuthorization,
  ProxyRequire,
  RAck,
  Reason,
  RecordRoute,
  ReferredBy,
  ReferTo,
  RejectContact,
  ReplyTo,
  RequestDisposition,
  Require,
  RecvInfo,
  RetryAfter,
  Route,
  RSeq,
  Server,
  ServiceRoute,
  SessionExpires,
  SipETag,
  SipIfMatch,
  Subject,
  SubscriptionState,
  Supported,
  Timestamp,
  To,
  Unsupported,
  UserAgent,
  Via,
  Warning,
  WwwAuthenticate,
  Count_,  // number of enumerators; not a header
};

// Resolves a header name (long or compact form, any case); HeaderId::Other when unknown.
HeaderId header_id(std::string_view name);

// The canonical long name ("Call-ID", "WWW-Authenticate"); "" for HeaderId::Other.
std::string_view canonical_name(HeaderId id);

// The compact form ('i', 'v', ...) or '\0' when the header has none.
char compact_form(HeaderId id);

// True for headers whose value is a comma-separated list of elements (Via, Contact, Route,
// Record-Route, Allow, Supported, Require, ...). Authorization-type headers are not lists: their
// commas separate auth-params of one credential (RFC 3261 §20.7 and §7.3.1).
bool is_list_header(HeaderId id);

// True for headers that may appear at most once (From, To, Call-ID, CSeq, Max-Forwards,
// Content-Length, Content-Type, Expires...).
bool is_single_header(HeaderId id);

// True when `name` is a valid header name (an RFC 3261 token).
bool is_header_name(std::string_view name);

struct Header {
  std::string name;  // as received or as added
  HeaderId id = HeaderId::Other;
  std::string value;

  // The canonical long name for known headers, the name as received otherwise.
  std::string_view canonical_name() const;
  // True when this header is called `other` (long or compact form, any case).
  bool is(std::string_view other) const;
};

}  // namespace rtcgate::sip
