// From the two negotiated legs to the media engine's session parameters (DESIGN.md "Decide at
// negotiation, not per packet"): the MediaSessionConfig a call's session is created with, where the
// legacy leg's media goes, and the fixed per-direction relay plans.
//
// Payload types follow RFC 3264 §5.1/§6.1: a peer sends with the payload types of the description
// it received, so packets from the browser carry the web leg's local payload types and must leave
// with the PBX's own (remote) ones, and the reverse. telephone-event is mapped only when both legs
// negotiated it (at the codec's clock rate, RFC 4733 §2.5.1); otherwise its packets count as
// no_route drops and DTMF must go by SIP INFO.
//
// Pure functions; thread affinity: none.
#pragma once

#include "rtcgate/gateway/config.hpp"
#include "rtcgate/gateway/media_params.hpp"

#include <rtcgate/media/session/route_plan.hpp>
#include <rtcgate/media/session/session_types.hpp>
#include <rtcgate/sdp/negotiate.hpp>

#include <expected>
#include <optional>
#include <string>

namespace rtcgate::gateway {

struct RoutePlans {
  media::RoutePlan web_to_legacy;
  media::RoutePlan legacy_to_web;
};

// Passthrough plans for two accepted streams that carry the same codec. An error says why not
// (rejected stream, no codec, different codecs: the call needs the transcoder).
std::expected<RoutePlans, std::string> passthrough_plans(const sdp::NegotiatedMedia& web,
                                                         const sdp::NegotiatedMedia& legacy);

// The plans of a call: passthrough when both legs carry the same codec; otherwise, with
// `codecs.transcode`, Opus ⇄ PCMU/PCMA transcoding (each direction decodes what its source leg sends
// and encodes what the other leg negotiated; telephone-event rescaled when both legs have it; the
// G.711 ptime from the legacy leg's a=ptime or [codecs] ptime; [codecs] opus_complexity).
std::expected<RoutePlans, std::string> route_plans(const sdp::NegotiatedMedia& web,
                                                   const sdp::NegotiatedMedia& legacy,
                                                   const CodecConfig& codecs);
// True when route_plans() transcodes these two legs (they carry different codecs).
bool transcoded(const sdp::NegotiatedMedia& web, const sdp::NegotiatedMedia& legacy);

// Where the legacy leg's RTP and RTCP go. media/ has no DNS: a host name in c= is an error.
std::expected<media::LegacyRemote, std::string> legacy_remote(const sdp::NegotiatedMedia& legacy);

struct SessionSetup {
  media::DtlsRole dtls_role = media::DtlsRole::Client;  // ours, from the web leg's a=setup
  bool we_offer_web = false;     // we send the web leg's offer (PBX → browser): ICE controlling
  bool remote_ice_lite = false;  // the browser is ICE-lite: we must control (RFC 8445 §6.1.1)
  bool legacy_rtcp_mux = false;  // negotiated on the legacy leg (RFC 5761)
  std::optional<media::Fingerprint> remote_fingerprint;
};

// The session's creation parameters from [media] and what is known at creation time. Plans and
// the legacy remote are added with set_plans / set_remote_legacy once both legs are negotiated.
media::MediaSessionConfig session_config(const Config& config, const SessionSetup& setup);

}  // namespace rtcgate::gateway
