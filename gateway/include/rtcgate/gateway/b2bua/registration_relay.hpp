// RegistrationRelay: `[registration] relay = true` (DESIGN.md "Two kinds of web users",
// registration relay): a browser registers with its PBX credentials through rtcgate.
//
// A REGISTER from a browser over WS/WSS whose user is not one of `[[users]]` (those stay local) is
// sent to `[pbx] uri` as rtcgate's own REGISTER (a B2BUA's, RFC 3261 §10.2): the browser's
// Request-URI, From, To and credentials unchanged, our Call-ID/CSeq and our Contact
// `sip:<key>@<our listener>` (relay_bindings.hpp). The PBX's 401/407 goes back with its challenge;
// the browser's answer is relayed the same way, and since its digest covers only the method and the
// Request-URI (RFC 3261 §22.4, RFC 2617 §3.2.2) it stays valid at the PBX. The PBX's 2xx comes back
// listing the browser's own Contact with the expiry the PBX granted; any other final response is
// relayed as it is and a binding that never registered is dropped. Expires 0 (or `Contact: *`) is
// relayed as an unregistration of our Contact only, never as a wildcard (which would remove the
// user's other phones at the PBX). A binding expires when the PBX's expiry passes without a
// refresh. When the browser's WebSocket closes its bindings go at once, and each registered one is
// unregistered upstream with the credentials the PBX last accepted (best effort: a PBX that
// refuses a repeated nonce lets the registration expire instead).
//
// target() names the WebSocket connection and browser URI for a PBX INVITE whose Request-URI is
// one of our Contacts. rtcgate_registrations{kind="relay"} counts the bindings the PBX accepted.
//
// Ownership: borrows the configuration, the SIP stack and the call registry (all outlive it).
// Thread affinity: the signaling thread.
#pragma once

#include "rtcgate/gateway/b2bua/relay_bindings.hpp"
#include "rtcgate/gateway/b2bua/sip_stack.hpp"
#include "rtcgate/gateway/call_registry.hpp"
#include "rtcgate/gateway/config.hpp"

#include <rtcgate/sip/message.hpp>
#include <rtcgate/sip/transaction_layer.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

namespace rtcgate::gateway::b2bua {

class RegistrationRelay {
 public:
  // `contact_base` gives our SIP URI on a transport (the B2BUA's Contact for that transport).
  using ContactBase = std::function<sip::Uri(sip::TransportKind kind)>;

  RegistrationRelay(const Config& config, SipStack& sip, CallRegistry& registry, ContactBase contact_base);
  ~RegistrationRelay();
  RegistrationRelay(const RegistrationRelay&) = delete;
  RegistrationRelay& operator=(const RegistrationRelay&) = delete;

  // True for a REGISTER this relay handles: relay on, received over WS/WSS, and its To user is not
  // a configured local user.
  bool serves(const sip::Message& request, const sip::Flow& flow) const;
  void on_register(sip::TransactionId id, const sip::Message& request, const sip::Flow& flow);

  // The B2BUA's SipHandler hands these on; true when the transaction was one of ours.
  bool on_response(sip::TransactionId id, const sip::Message& response);
  bool on_failure(sip::TransactionId id, sip::TransactionFailure failure);
  void on_terminated(sip::TransactionId id);
  void on_flow_closed(const sip::Flow& flow);

  struct Target {
    sip::Flow flow;        // the browser's WebSocket connection
    std::string uri;       // the browser's contact URI (the fork's Request-URI)
    std::string aor_user;  // the registered user (the fork's To)
  };
  // The registered binding a PBX request for `request_uri` is meant for.
  std::optional<Target> target(const sip::Uri& request_uri, sip::TimePoint now) const;
  std::size_t registered() const { return bindings_.registered(); }

 private:
  // One REGISTER of ours at the PBX; `browser` is unset for the unregistration sent when the
  // browser's WebSocket closed.
  struct Upstream {
    std::string key;
    std::optional<sip::TransactionId> browser_txn;
    sip::Message browser_request;
    std::uint32_t requested = 0;  // the expiry asked for; 0 unregisters
  };

  // Sends `upstream` to the PBX for the live binding of its key, or for `gone` (a binding already
  // removed whose unregistration this is).
  void send_upstream(Upstream upstream, std::optional<RelayBinding> gone);
  void on_final(const Upstream& upstream, const sip::Message& response);
  void fail_browser(const Upstream& upstream, int status, std::string_view reason);
  void answer(sip::TransactionId id, const sip::Message& request, int status, std::string_view reason = {});
  void query(sip::TransactionId id, const sip::Message& request, const sip::Flow& flow);
  void rearm();
  void sweep();
  void publish();

  const Config& config_;
  SipStack& sip_;
  CallRegistry& registry_;
  ContactBase contact_base_;
  RelayBindings bindings_;
  std::unordered_map<std::uint64_t, Upstream> upstream_;
  sip::TimerHandle sweep_timer_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace rtcgate::gateway::b2bua
