// The call index: what the B2BUA records about each call, what GET /api/calls shows and what the
// call metrics of GET /metrics count (DESIGN.md "What operators touch"; issue text of the gateway).
//
// CallProvider is the read side (the admin server). CallRegistry is the write side the B2BUA fills
// as a call progresses:
//   begin (INVITE received) → set_leg / set_transport_state / set_state("early")
//   → answered (200 sent to the caller: setup latency) → update_media (stats snapshots)
//   → end (outcome)
// plus set_registrations for the registrar. It is an interface because a clustered deployment
// keeps this index in shared storage (DESIGN.md "Where one machine is not enough");
// InMemoryCallRegistry (in_memory_call_registry.hpp) is the single-node implementation.
//
// Thread affinity: the signaling thread only (the admin HTTP server runs there too; media stats
// arrive there as posted messages), so implementations need not lock. Times: steady_clock for
// durations, Unix milliseconds for what is shown.
#pragma once

#include "rtcgate/media/packet/drop.hpp"

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rtcgate::gateway {

struct CallLegInfo {
  std::string kind;         // "web" or "legacy"
  std::string sip_call_id;  // the leg's own SIP Call-ID
  std::string remote_uri;
  std::string transport;               // "ws", "wss", "udp", …
  std::string codec;                   // negotiated, e.g. "opus/48000/2", "PCMU/8000"
  std::string ice_state;               // web leg: "checking", "connected", …; empty on plain RTP legs
  std::string dtls_state;              // web leg: "connecting", "connected", "failed"; empty otherwise
  std::uint64_t packets_sent = 0;      // to this leg's peer
  std::uint64_t packets_received = 0;  // from this leg's peer
  std::uint64_t packets_lost = 0;      // RFC 3550 §6.4.1 cumulative number lost, from this peer
  double jitter_ms = 0;                // RFC 3550 §6.4.1 interarrival jitter, in milliseconds
};

struct CallInfo {
  std::string id;     // gateway call id (the one in log lines)
  std::string state;  // "setup", "early", "active", "ending"
  std::string from;
  std::string to;
  std::int64_t started_unix_ms = 0;
  std::int64_t answered_unix_ms = 0;  // 0 until answered
  bool transcoding = false;
  std::vector<CallLegInfo> legs;
  // Packets the media path discarded for this call, by reason (media::to_string(Drop)); only
  // non-zero reasons, in enum order.
  std::vector<std::pair<std::string, std::uint64_t>> drops;
};

// How a call ended, as counted in rtcgate_calls_total{outcome}. A call that was answered counts as
// answered however it ended later.
enum class CallOutcome : std::uint8_t {
  Answered,   // a 2xx reached the caller
  Cancelled,  // the caller gave up before an answer (CANCEL, or BYE/WebSocket gone while early)
  Rejected,   // the callee answered 4xx/5xx/6xx (e.g. 486 busy, 404)
  NoAnswer,   // nobody answered in time (408 to the caller)
  Refused,    // we refused it: no route, no common codec (488), draining (503), auth failure
  Failed,     // media or transport failure before the answer (ICE, DTLS, PBX unreachable)
};
inline constexpr std::size_t kCallOutcomeCount = 6;
std::string_view to_string(CallOutcome outcome);

// Web users with a current registration, as counted in rtcgate_registrations{kind}.
enum class RegistrationKind : std::uint8_t {
  Local,  // [[users]]: rtcgate is the registrar
  Relay,  // [registration] relay: the PBX is the registrar
};
std::string_view to_string(RegistrationKind kind);

// Cumulative counters of one call's media session since it was created (what the media engine's
// stats snapshots carry), by leg as seen from rtcgate.
struct LegMediaCounters {
  std::uint64_t packets_received = 0;
  std::uint64_t packets_sent = 0;
  std::uint64_t packets_lost = 0;
  double jitter_ms = 0;
};
struct CallMediaCounters {
  LegMediaCounters web;
  LegMediaCounters legacy;
  media::DropCounters drops;
};

class CallProvider {
 public:
  virtual ~CallProvider() = default;
  // Active calls ordered by id.
  virtual std::vector<CallInfo> calls() const = 0;
};

class CallRegistry : public CallProvider {
 public:
  using Clock = std::chrono::steady_clock;

  // A new call: info.id must be unique; state defaults to "setup". False if the id is in use.
  virtual bool begin(CallInfo info, Clock::time_point now) = 0;
  virtual bool set_state(std::string_view id, std::string_view state) = 0;
  // Adds the leg, or replaces the leg of the same kind while keeping its counters (which only
  // update_media changes).
  virtual bool set_leg(std::string_view id, CallLegInfo leg) = 0;
  virtual bool set_transport_state(std::string_view id, std::string_view ice_state,
                                   std::string_view dtls_state) = 0;
  virtual bool set_transcoding(std::string_view id, bool transcoding) = 0;
  // The caller got its 2xx: state "active", setup latency observed (the first time only).
  virtual bool answered(std::string_view id, Clock::time_point now, std::int64_t now_unix_ms) = 0;
  // A newer cumulative snapshot; process-wide packet and drop counters grow by the difference.
  virtual bool update_media(std::string_view id, const CallMediaCounters& counters) = 0;
  // Removes the call and counts its outcome. False if unknown (already ended). Send the media
  // session's final snapshot through update_media first, or its last packets go uncounted.
  virtual bool end(std::string_view id, CallOutcome outcome) = 0;
  virtual void set_registrations(RegistrationKind kind, std::size_t count) = 0;
  virtual std::size_t size() const = 0;
};

// The /api/calls body: a JSON array of call objects (gateway/docs/configuration.md shows one).
std::string calls_to_json(std::span<const CallInfo> calls);

}  // namespace rtcgate::gateway
