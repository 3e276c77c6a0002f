// Message: one SIP request or response (RFC 3261 §7), owned as plain values.
//
// A Message owns all its text (std::string members); nothing points into the input it was parsed
// from, so it can outlive the receive buffer and be moved between threads (it has no thread
// affinity, but it is not synchronised: one owner at a time).
//
// Headers are one ordered list (see headers.hpp: name as received, HeaderId, unfolded value; list
// headers split into one entry per element). The generic accessors take any spelling of a name
// ("v", "Via", "VIA"). The typed accessors parse on each call; for a message that came out of
// parse_message() the headers they read were already validated, so they only return nullopt /
// empty when the header is absent. For a message built by hand, an entry that does not parse is
// skipped (list accessors) or yields nullopt.
//
// The body is bytes; the message layer knows nothing of SDP. serialize() (serialize.hpp) writes
// headers in order and recomputes Content-Length from body().size().
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rtcgate/sip/header_cseq.hpp"
#include "rtcgate/sip/header_via.hpp"
#include "rtcgate/sip/headers.hpp"
#include "rtcgate/sip/method.hpp"
#include "rtcgate/sip/name_addr.hpp"
#include "rtcgate/sip/uri.hpp"

namespace rtcgate::sip {

// The value of a Contact header: either `*` (RFC 3261 §10.2.2, only with Expires: 0 in REGISTER)
// or a list of contacts.
struct ContactList {
  bool wildcard = false;
  std::vector<NameAddr> contacts;
};

// Session-Expires / Min-SE (RFC 4028 §4): an interval and, for Session-Expires, who refreshes.
struct SessionExpires {
  std::uint32_t seconds = 0;
  std::string refresher;  // "uac", "uas" or "" when absent
};

class Message {
 public:
  // An empty request line / status line; prefer the factories below.
  Message() = default;

  // A request with no headers. `method` must not be Method::Extension (use the token overload).
  static Message request(Method method, Uri request_uri);
  // A request whose method is given by its token (extension methods: "PUBLISH-X", ...).
  static Message request(std::string_view method_token, Uri request_uri);
  // A response with no headers.
  static Message response(int status, std::string_view reason);

  // ----- start line -----
  bool is_request() const { return is_request_; }
  bool is_response() const { return !is_request_; }
  Method method() const { return method_; }  // requests only
  const std::string& method_token() const { return method_token_; }
  const Uri& request_uri() const { return request_uri_; }
  Uri& request_uri() { return request_uri_; }
  int status() const { return status_; }  // responses only
  const std::string& reason() const { return reason_; }
  const std::string& version() const { return version_; }  // "SIP/2.0"
  void set_status(int status, std::string_view reason);

  // ----- generic header access (any spelling of the name) -----
  const std::vector<Header>& headers() const { return headers_; }
  std::vector<Header>& headers() { return headers_; }
  // The value of the first header called `name`.
  std::optional<std::string_view> first(std::string_view name) const;
  std::optional<std::string_view> first(HeaderId id) const;
  // The values of every header called `name`, in order (list headers: one element each).
  std::vector<std::string_view> all(std::string_view name) const;
  std::vector<std::string_view> all(HeaderId id) const;
  bool has(std::string_view name) const { return first(name).has_value(); }
  std::size_t count(std::string_view name) const;
  // Appends a header. The name is written as given (use the canonical long form for new ones).
  void add(std::string_view name, std::string_view value);
  // Inserts a header before every other header of the same name, or at the end when there is none
  // (a proxy's own Via, a Record-Route it adds: RFC 3261 §16.6).
  void add_front(std::string_view name, std::string_view value);
  // Removes every header called `name`; returns how many were removed.
  std::size_t remove(std::string_view name);
  // Removes only the first header called `name` (popping the top Via, a consumed Route).
  bool remove_first(std::string_view name);
  // Sets a single value: replaces the first header called `name` and removes the others, or
  // appends one when absent.
  void replace(std::string_view name, std::string_view value);

  // ----- typed access -----
  std::vector<Via> vias() const;
  std::optional<Via> top_via() const;
  std::optional<NameAddr> from() const;
  std::optional<NameAddr> to() const;
  std::optional<std::string_view> call_id() const;
  std::optional<CSeq> cseq() const;
  std::optional<std::uint32_t> max_forwards() const;
  std::optional<ContactList> contacts() const;  // nullopt when there is no Contact header
  std::vector<NameAddr> routes() const;
  std::vector<NameAddr> record_routes() const;
  std::optional<std::string_view> content_type() const;
  std::optional<std::size_t> content_length() const;  // the header as received, if any
  std::optional<std::uint32_t> expires() const;
  std::optional<std::uint32_t> min_expires() const;

  // Option tags and methods (RFC 3261 §20.5, §20.32, §20.37, §20.29, §20.40): one entry per token,
  // in order, from every header of that name.
  std::vector<std::string_view> allow() const { return all(HeaderId::Allow); }
  std::vector<std::string_view> supported() const { return all(HeaderId::Supported); }
  std::vector<std::string_view> require() const { return all(HeaderId::Require); }
  std::vector<std::string_view> proxy_require() const { return all(HeaderId::ProxyRequire); }
  std::vector<std::string_view> unsupported() const { return all(HeaderId::Unsupported); }
  // True when a Supported / Require header lists `option_tag` (compared ASCII case-insensitively).
  bool supports(std::string_view option_tag) const;
  bool requires_option(std::string_view option_tag) const;
  // True when an Allow header lists `method` (its exact token).
  bool allows(std::string_view method) const;

  // Reliable provisional responses (RFC 3262 §7.1, §7.2).
  std::optional<std::uint32_t> rseq() const;
  std::optional<RAck> rack() const;
  // Session timers (RFC 4028 §4, §5).
  std::optional<SessionExpires> session_expires() const;
  std::optional<std::uint32_t> min_se() const;

  // Further name-addr headers a UA or B2BUA reads (RFC 3327 Path, RFC 3608 Service-Route, RFC 3325
  // P-Asserted-Identity, RFC 3515 Refer-To, RFC 3892 Referred-By, RFC 3261 §20.31 Reply-To).
  std::vector<NameAddr> paths() const;
  std::vector<NameAddr> service_routes() const;
  std::vector<NameAddr> p_asserted_identities() const;
  std::optional<NameAddr> refer_to() const;
  std::optional<NameAddr> referred_by() const;
  std::optional<NameAddr> reply_to() const;

  // Typed setters: write the value with to_string() (replace() semantics).
  void set_from(const NameAddr& from);
  void set_to(const NameAddr& to);
  void set_call_id(std::string_view call_id) { replace("Call-ID", call_id); }
  void set_cseq(const CSeq& cseq) { replace("CSeq", cseq.to_string()); }
  void set_max_forwards(std::uint32_t hops);
  void add_via_front(const Via& via) { add_front("Via", via.to_string()); }
  void set_expires(std::uint32_t seconds) { replace("Expires", std::to_string(seconds)); }
  void add_contact(const NameAddr& contact) { add("Contact", contact.to_string()); }
  void add_route(const NameAddr& route) { add("Route", route.to_string()); }
  // A proxy or B2BUA inserting itself on top of the Record-Route list (RFC 3261 §16.6 step 4).
  void add_record_route_front(const NameAddr& route) { add_front("Record-Route", route.to_string()); }

  // ----- body -----
  const std::string& body() const { return body_; }
  // Sets the body and its Content-Type ("" content type removes the header; for an empty body).
  void set_body(std::string body, std::string_view content_type);
  // Sets the body bytes only (the parser uses this).
  void set_body_bytes(std::string body) { body_ = std::move(body); }

  // Start-line setters used by the parser.
  void set_request_line(Method method, std::string method_token, Uri request_uri);
  void set_version(std::string version) { version_ = std::move(version); }

 private:
  bool is_request_ = true;
  Method method_ = Method::Invite;
  std::string method_token_;
  Uri request_uri_;
  int status_ = 0;
  std::string reason_;
  std::string version_ = "SIP/2.0";
  std::vector<Header> headers_;
  std::string body_;
};

}  // namespace rtcgate::sip
