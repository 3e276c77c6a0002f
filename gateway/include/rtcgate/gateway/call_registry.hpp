// What GET /api/calls shows: a snapshot per call with its two legs (DESIGN.md "What operators
// touch": legs, state, codecs, ICE/DTLS state, packets, loss, jitter).
//
// CallProvider is the interface the admin server reads; the gateway's call table implements it.
// InMemoryCallRegistry is a plain map implementation (used until the call table exists, and by
// tests). Thread affinity: both are called on the signaling thread only (the admin HTTP server
// runs there too), so neither locks.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace rtcgate::gateway {

struct CallLegInfo {
  std::string kind;         // "web" or "legacy"
  std::string sip_call_id;  // the leg's own SIP Call-ID
  std::string remote_uri;
  std::string transport;   // "ws", "wss", "udp", …
  std::string codec;       // negotiated, e.g. "opus/48000/2", "PCMU/8000"
  std::string ice_state;   // web leg: "checking", "connected", …; empty on plain RTP legs
  std::string dtls_state;  // web leg: "connecting", "connected", "failed"; empty otherwise
  std::uint64_t packets_sent = 0;
  std::uint64_t packets_received = 0;
  std::uint64_t packets_lost = 0;  // RFC 3550 §6.4.1 cumulative number of packets lost
  double jitter_ms = 0;            // RFC 3550 §6.4.1 interarrival jitter, in milliseconds
};

struct CallInfo {
  std::string id;     // gateway call id (the one in log lines)
  std::string state;  // "setup", "early", "active", "ending"
  std::string from;
  std::string to;
  std::int64_t started_unix_ms = 0;
  bool transcoding = false;
  std::vector<CallLegInfo> legs;
};

class CallProvider {
 public:
  virtual ~CallProvider() = default;
  virtual std::vector<CallInfo> calls() const = 0;
};

class InMemoryCallRegistry final : public CallProvider {
 public:
  void upsert(CallInfo call);
  bool remove(const std::string& id);
  std::size_t size() const { return calls_.size(); }
  std::vector<CallInfo> calls() const override;

 private:
  std::map<std::string, CallInfo> calls_;
};

// The /api/calls body: a JSON array of call objects (docs/configuration.md shows an example).
std::string calls_to_json(std::span<const CallInfo> calls);

}  // namespace rtcgate::gateway
