// LocalRegistrar: rtcgate as the registrar of its `[[users]]` (DESIGN.md "Two kinds of web users",
// local users): REGISTER is authenticated with digest (RFC 3261 §22.4, RFC 8760: SHA-256 and MD5
// challenges, realm = [sip] domain) and then handled by sip::registrar::Registrar (§10.3), which
// remembers the flow each binding came over as an RFC 5626 flow token, so requests for the user
// reach the WebSocket connection it registered on. A closed connection removes its bindings.
//
// Ownership: owns the location store, the digest server (nonces) and the flow-token key.
// Thread affinity: the signaling thread.
#pragma once

#include "rtcgate/gateway/config.hpp"

#include <rtcgate/sip/asio/flow_token.hpp>
#include <rtcgate/sip/auth/digest_server.hpp>
#include <rtcgate/sip/clock.hpp>
#include <rtcgate/sip/message.hpp>
#include <rtcgate/sip/registrar/in_memory_location_store.hpp>
#include <rtcgate/sip/registrar/registrar.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace rtcgate::gateway::b2bua {

class LocalRegistrar {
 public:
  explicit LocalRegistrar(const Config& config);

  // True when the configuration has local users.
  bool enabled() const { return !users_.empty(); }

  // The response to a REGISTER received over `flow`: 401 with challenges (no or stale or wrong
  // credentials), 400 (malformed credentials), 403 (another user's AOR), or the registrar's answer.
  sip::Message handle(const sip::Message& request, const sip::Flow& flow, sip::TimePoint now);

  // Live bindings of `aor`.
  std::vector<sip::registrar::Binding> lookup(const sip::Uri& aor, sip::TimePoint now) const;
  // The connection of a binding, when it registered over one we still know.
  std::optional<sip::Flow> flow_of(const sip::registrar::Binding& binding) const;
  void on_flow_closed(const sip::Flow& flow);
  // Registered bindings (all users).
  std::size_t size() const { return store_.size(); }

 private:
  std::vector<LocalUser> users_;
  sip::asio::FlowTokens tokens_;
  sip::registrar::InMemoryLocationStore store_;
  sip::registrar::Registrar registrar_;
  sip::auth::DigestServer auth_;
};

}  // namespace rtcgate::gateway::b2bua
