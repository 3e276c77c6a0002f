// Binding: one registered contact of an address-of-record (RFC 3261 §10.3), with the RFC 5626
// outbound identity (+sip.instance, reg-id) and the flow it arrived on.
//
// Plain strings and numbers only, so that a store can keep bindings anywhere (in memory now,
// Redis later). `flow` is an opaque token chosen by the transport layer: for a WebSocket client it
// names the connection, and requests for that contact must go back over it (RFC 7118 §5, RFC 5626
// §5.3). Value type; no thread affinity.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rtcgate/sip/clock.hpp"

namespace rtcgate::sip::registrar {

struct Binding {
  std::string aor;                      // canonical address-of-record, see canonical_aor()
  std::string contact;                  // the Contact value as registered, without its expires parameter
  std::string uri;                      // the contact URI, where requests for the AOR are sent
  std::string instance;                 // +sip.instance value without quotes, "" when absent (RFC 5626 §4.1)
  std::optional<std::uint32_t> reg_id;  // RFC 5626 §4.2, only together with an instance
  std::string flow;                     // opaque flow token from the transport, "" when none
  std::vector<std::string> path;        // Path header values in order (RFC 3327 §5.3)
  std::string call_id;
  std::uint32_t cseq = 0;
  TimePoint expires_at{};
  std::string q;  // q parameter as received, "" when absent

  // True when the binding is replaced by instance and reg-id rather than by URI (RFC 5626 §6).
  bool is_outbound() const { return !instance.empty() && reg_id.has_value(); }
  bool live(TimePoint now) const { return expires_at > now; }
};

}  // namespace rtcgate::sip::registrar
