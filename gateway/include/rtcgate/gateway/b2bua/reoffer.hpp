// The SDP steps of a mid-call offer (RFC 3261 §14, RFC 3311, RFC 3264 §8), as pure functions over
// the configuration and the descriptions, so the call logic in reinvite.cpp only sequences them.
//
//   classify_web_reoffer  what a browser's new offer changes: its direction (hold/resume, RFC 3264
//                         §8.4), its ICE credentials (an ICE restart, RFC 8839 §4.4.1.1.1) or its
//                         codecs (the current one is no longer offered)
//   bridge_reoffer        the offer we send the other leg: the first offer's direction carried
//                         over; the current codec kept when the offer still has it, so the
//                         media route keeps its plan; otherwise the bridge codecs of the new offer
//   reanswer              our answer on one leg once the other leg settled on a direction and a
//                         codec: only that codec (plus telephone-event) and our direction mirrored
//                         from the other leg (what it sends, we send on)
//   relay_directions      which way media flows through the session once both legs are settled
//
// A re-answer keeps the DTLS role of the first exchange (RFC 8842 §5.3: no new association unless
// the fingerprint or the transport changes), whatever a=setup the re-offer carries.
// Errors carry the SIP status to answer with (488 not acceptable). Thread affinity: none.
#pragma once

#include "rtcgate/gateway/b2bua/offer_answer.hpp"
#include "rtcgate/gateway/codec_policy.hpp"
#include "rtcgate/gateway/config.hpp"
#include "rtcgate/gateway/media_params.hpp"

#include <rtcgate/sdp/attributes/direction.hpp>
#include <rtcgate/sdp/negotiate.hpp>
#include <rtcgate/sdp/session_description.hpp>

#include <cstdint>
#include <expected>
#include <optional>
#include <string>

namespace rtcgate::gateway::b2bua {

// The direction an offer or answer states for its first audio stream, from its author's side;
// `c=0.0.0.0` (RFC 3264 §8.4, the RFC 2543 way to hold) means its author will not receive.
// nullopt when it has no audio stream with a non-zero port.
std::optional<sdp::Direction> stated_direction(const sdp::SessionDescription& description);

struct WebReoffer {
  sdp::Direction direction = sdp::Direction::SendRecv;  // the browser's (from its side)
  bool direction_changed = false;
  bool ice_restart = false;  // new ice-ufrag/ice-pwd (RFC 8839 §4.4.1.1.1)
  bool codec_kept = true;    // the codec the call runs on is still offered
  RemoteWebParams remote;    // the ICE and DTLS values of the new offer
  // Must go to the other leg (direction or codec); otherwise we answer it ourselves.
  bool needs_relay() const { return direction_changed || !codec_kept; }
};

// `previous` is the browser's last stated direction; `current` the web leg's negotiated stream.
std::expected<WebReoffer, SdpRefusal> classify_web_reoffer(const Config& config, const LocalWebParams& local,
                                                           const sdp::SessionDescription& offer,
                                                           sdp::Direction previous,
                                                           const sdp::NegotiatedMedia& current);

// The offer's first audio stream has `codec` (encoding name, clock rate and channels).
bool offers_codec(const sdp::SessionDescription& offer, const sdp::NegotiatedCodec& codec);

// Which leg a description is written for.
enum class Side : std::uint8_t { Web, Legacy };

struct LegState {
  Side side = Side::Legacy;
  std::uint16_t rtp_port = 0;              // legacy: our RTP port
  LocalWebParams local;                    // web: our ICE and DTLS values
  std::optional<sdp::DtlsRole> dtls_role;  // web: ours since the first exchange
  sdp::NegotiatedCodec codec;              // what the leg runs on now
  sdp::SessionParams session;              // o= with the next version
};

// The offer for `target` that carries `remote_offer` (from the other leg) over.
std::expected<sdp::SessionDescription, SdpRefusal> bridge_reoffer(
    const Config& config, const LegState& target, const sdp::SessionDescription& remote_offer);

// An offer for `target` on its current codec and our current values, for a re-INVITE without SDP
// (RFC 3261 §14.2: the offer goes in our 2xx, the answer comes in the ACK).
std::expected<sdp::SessionDescription, SdpRefusal> current_offer(const Config& config, const LegState& target,
                                                                 sdp::Direction direction);

// The other leg answered our bridged offer with `other`: our answer to `offer` on `target`.
// `other_leg_codec` is the codec the other leg now runs on.
std::expected<sdp::Answer, SdpRefusal> reanswer(const Config& config, const LegState& target,
                                                const sdp::SessionDescription& offer,
                                                const sdp::NegotiatedCodec& other_leg_codec,
                                                sdp::Direction ours);

// The remote answered an offer we made on `target` (first accepted audio stream), or 488.
std::expected<sdp::NegotiatedMedia, SdpRefusal> reoffer_answered(const Config& config, const LegState& target,
                                                                 const sdp::SessionDescription& offer,
                                                                 const sdp::SessionDescription& answer);

// Our direction on one leg mirrored from our direction on the other: we send on this leg what we
// receive on the other, and receive what we can send there.
sdp::Direction mirrored(sdp::Direction other_leg_ours);

struct RelayDirections {
  bool web_to_legacy = true;
  bool legacy_to_web = true;
};
RelayDirections relay_directions(sdp::Direction web_ours, sdp::Direction legacy_ours);

}  // namespace rtcgate::gateway::b2bua
