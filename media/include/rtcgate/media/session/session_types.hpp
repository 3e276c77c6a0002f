// Value types of a media session: its parameters, its statistics and the events it reports.
//
// All are plain values (copyable, no pointers), so the owner can build them on its own thread and
// the worker can send them back. Units: bytes, packets, milliseconds; jitter in milliseconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "rtcgate/media/dtls/dtls_endpoint.hpp"
#include "rtcgate/media/dtls/fingerprint.hpp"
#include "rtcgate/media/ice/ice_transport.hpp"
#include "rtcgate/media/ice/ice_types.hpp"
#include "rtcgate/media/io/udp_endpoint.hpp"
#include "rtcgate/media/packet/drop.hpp"
#include "rtcgate/media/session/route_plan.hpp"
#include "rtcgate/media/srtp/srtp_keys.hpp"

namespace rtcgate::media {

using SessionId = std::uint64_t;

struct LegacyRemote {
  std::string address;  // IP literal
  std::uint16_t rtp_port = 0;
  std::uint16_t rtcp_port = 0;  // 0: rtp_port + 1 (or rtp_port with rtcp-mux)
};

// SDES-keyed SRTP on the legacy leg (RFC 4568, RTP/SAVP): one key per direction, each from an
// a=crypto line of the negotiated pair. Without it the legacy leg is plain RTP.
struct LegacySrtp {
  SrtpMasterKey local;   // ours (our a=crypto): we protect what we send the legacy side with it
  SrtpMasterKey remote;  // the legacy side's (its a=crypto): what it sends us is protected with it
};

struct MediaSessionConfig {
  IceConfig ice;
  DtlsRole dtls_role = DtlsRole::Server;          // from a=setup (RFC 5763 §5)
  std::optional<Fingerprint> remote_fingerprint;  // may come later (set_remote_fingerprint)
  UdpEndpointConfig legacy;
  std::optional<LegacyRemote> legacy_remote;
  std::optional<LegacySrtp> legacy_srtp;
  RoutePlan web_to_legacy;
  RoutePlan legacy_to_web;
};

// Per direction ("web_to_legacy": what the browser sent that we relayed to the legacy leg).
struct FlowStats {
  std::uint64_t packets_in = 0;
  std::uint64_t bytes_in = 0;
  std::uint64_t packets_out = 0;
  std::uint64_t bytes_out = 0;
  std::uint64_t rtcp_in = 0;
  std::uint64_t rtcp_out = 0;
  std::int64_t lost = 0;                    // RFC 3550 A.3, from the sequence numbers we received
  double jitter_ms = 0;                     // RFC 3550 A.8, from our arrival times
  std::uint8_t reported_fraction_lost = 0;  // from the receiver's last RTCP report block about it
  std::int32_t reported_lost = 0;
  double reported_jitter_ms = 0;
  DropCounters drops;
};

struct SessionStats {
  SessionId id = 0;
  IceState ice_state = IceState::New;
  DtlsState dtls_state = DtlsState::New;
  std::string selected_remote;
  std::uint16_t legacy_rtp_port = 0;
  FlowStats web_to_legacy;
  FlowStats legacy_to_web;
  // Socket-level counters of each leg (drops there: pool exhaustion, source mismatch, full sockets,
  // sends before ICE is up).
  IceCounters web_transport;
  UdpEndpointCounters legacy_transport;
};

// Events a session reports to its owner (through MediaEngine's sink).
struct SessionCreated {
  IceCredentials local_credentials;
  Fingerprint local_fingerprint;
  std::uint16_t legacy_rtp_port = 0;
  std::uint16_t legacy_rtcp_port = 0;
};
struct LocalCandidate {
  IceCandidate candidate;
};
struct GatheringDone {};
struct IceStateChanged {
  IceState state;
};
struct DtlsConnected {
  SrtpProfile profile;
};
struct DtlsFailed {
  std::string reason;
};
struct ConsentLost {};
struct StatsSnapshot {
  SessionStats stats;
};
struct SessionFailed {
  std::string reason;
};
struct IceRestarted {
  IceCredentials local_credentials;
};

using SessionEventBody =
    std::variant<SessionCreated, LocalCandidate, GatheringDone, IceStateChanged, DtlsConnected, DtlsFailed,
                 ConsentLost, StatsSnapshot, SessionFailed, IceRestarted>;

struct SessionEvent {
  SessionId id = 0;
  SessionEventBody body;
};

}  // namespace rtcgate::media
