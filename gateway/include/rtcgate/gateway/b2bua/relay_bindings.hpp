// RelayBindings: the browser registrations rtcgate relays to the PBX (`[registration] relay`,
// DESIGN.md "Two kinds of web users"), and the pure mapping between a browser's REGISTER and the
// one rtcgate sends upstream.
//
// Every browser registration (one WebSocket connection and the Call-ID the browser keeps for its
// refreshes, RFC 3261 §10.2.4) gets a binding with a random key. Upstream, rtcgate registers its
// own Contact `sip:<key>@<our SIP listener>`: a PBX sends its INVITE to that URI (the Request-URI
// is the registered Contact, RFC 3261 §10.2.1 / §16.5), so the key in the Request-URI's user part
// names the binding, and with it the WebSocket connection and the browser's own Contact URI.
// A user part survives PBXs that drop unknown URI parameters from a stored Contact.
//
// A binding is pending until the PBX's 2xx (then `registered`, with the PBX's expiry); a pending
// binding is forgotten at `expires_at` too (a challenge the browser never answered).
// Value types and pure functions; no thread affinity (the relay uses them on the signaling thread).
#pragma once

#include <rtcgate/sip/clock.hpp>
#include <rtcgate/sip/flow.hpp>
#include <rtcgate/sip/message.hpp>

#include <cstddef>
#include <cstdint>
#include <expected>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rtcgate::gateway::b2bua {

struct RelayBinding {
  std::string key;              // the user part of our Contact at the PBX
  std::string aor;              // the browser's To URI
  std::string aor_user;         // its user part: the called user of the PBX's INVITEs
  std::string browser_call_id;  // the Call-ID the browser registers with
  std::string browser_contact;  // the browser's Contact value without its expires parameter
  std::string browser_uri;      // the browser's contact URI: where the PBX's INVITEs go
  sip::Flow flow;               // the WebSocket connection the browser registered over
  std::string upstream_call_id;
  std::uint32_t upstream_cseq = 0;
  // The browser's last REGISTER the PBX accepted: its Request-URI, From, To and credentials make
  // the unregistration sent when the WebSocket closes (same method and Request-URI, so the
  // digest still fits).
  std::optional<sip::Message> accepted;
  bool registered = false;
  sip::TimePoint expires_at{};
};

class RelayBindings {
 public:
  // The binding of a browser registration (its connection and Call-ID), or nullptr.
  RelayBinding* find(const sip::Flow& flow, std::string_view browser_call_id);
  RelayBinding* find_key(std::string_view key);
  const RelayBinding* find_key(std::string_view key) const;
  // Adds a binding; false (and nothing added) when its key is in use.
  bool add(RelayBinding binding);
  void remove(std::string_view key);
  // Removes and returns the bindings of a closed connection.
  std::vector<RelayBinding> take_flow(const sip::Flow& flow);
  // Removes and returns the bindings whose expires_at is not after `now`.
  std::vector<RelayBinding> take_expired(sip::TimePoint now);
  // The earliest expires_at, if any binding is left.
  std::optional<sip::TimePoint> next_expiry() const;
  // Bindings the PBX accepted (what rtcgate_registrations{kind="relay"} shows).
  std::size_t registered() const;
  std::size_t size() const { return by_key_.size(); }

 private:
  std::map<std::string, RelayBinding, std::less<>> by_key_;
};

// What a browser's REGISTER asks for (RFC 3261 §10.2): bind one contact for `expires` seconds,
// remove its binding (expires 0, or `Contact: *`), or only ask (no Contact).
struct RegisterIntent {
  enum class Kind : std::uint8_t { Bind, Unbind, Query };
  Kind kind = Kind::Query;
  std::string contact;  // Bind/Unbind with a contact: the Contact value without expires
  std::string uri;      // its URI
  std::uint32_t expires = 0;
};
inline constexpr std::uint32_t kDefaultRegisterExpires = 3600;

// Reads a REGISTER's Contact and expiry (the contact's expires parameter, else the Expires header,
// else kDefaultRegisterExpires). The error names what is wrong: several contacts (one WebSocket
// registration relays one), a wildcard without Expires 0, a contact that is not a SIP URI.
std::expected<RegisterIntent, std::string> read_register_intent(const sip::Message& request);

// A key for a new binding: "rr" and 128 random bits in hex (a valid SIP URI user part).
std::string new_relay_key();

// Our Contact at the PBX for binding `key`: `base` (our listener's URI for the transport toward
// the PBX) with `key` as its user part.
sip::Uri relay_contact(sip::Uri base, std::string_view key);

// The REGISTER rtcgate sends to the PBX for `binding` (whose upstream_cseq the caller has already
// advanced): the browser's Request-URI, From and To unchanged (the digest's `uri=` is the
// Request-URI the browser signed, RFC 3261 §22.4), our Call-ID and CSeq, `contact` with
// `expires` (0 unregisters), and `credentials` (Authorization / Proxy-Authorization) as given.
// No Via: the transaction layer adds ours.
sip::Message upstream_register(const sip::Message& browser_request, const RelayBinding& binding,
                               const sip::Uri& contact, std::uint32_t expires,
                               const std::vector<std::pair<std::string, std::string>>& credentials);

// The Authorization and Proxy-Authorization headers of a request, in order.
std::vector<std::pair<std::string, std::string>> credentials_of(const sip::Message& request);

// The expiry the PBX granted to binding `key` in its 2xx: the expires parameter of the Contact
// whose user part is `key`, else the response's Expires header, else `requested` (a PBX that does
// not list the bindings it holds).
std::uint32_t granted_expiry(const sip::Message& response, std::string_view key, std::uint32_t requested);

// The response the browser gets for the PBX's `upstream` response to its REGISTER: the same status
// and reason; a challenge keeps its WWW-Authenticate / Proxy-Authenticate (the browser answers it);
// 423 keeps Min-Expires, 3xx–6xx keep Warning and Retry-After; a 2xx lists the browser's own
// contact with `granted` seconds (none when `granted` is 0: unregistered).
sip::Message browser_response(const sip::Message& browser_request, const sip::Message& upstream,
                              std::string_view browser_contact, std::uint32_t granted,
                              std::string_view to_tag);

}  // namespace rtcgate::gateway::b2bua
